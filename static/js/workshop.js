// Facilitator page: "Copy link" buttons. Without JS the links are still there to select and copy.

async function copy(input) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(input.value);
      return true;
    } catch { /* fall back below */ }
  }
  input.focus();
  input.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

for (const button of document.querySelectorAll(".copy-button")) {
  const input = document.getElementById(button.dataset.copyTarget);
  if (!input) continue;
  button.hidden = false;
  let timer = 0;
  button.addEventListener("click", async () => {
    const ok = await copy(input);
    const feedback = button.closest("li, .notice")?.querySelector(".copy-feedback");
    button.textContent = ok ? "Copied" : "Press Ctrl+C";
    button.classList.toggle("copied", ok);
    if (feedback) feedback.textContent = ok ? "Link copied." : "Select the link and press Ctrl+C (⌘+C on a Mac) to copy it.";
    if (!ok) { input.focus(); input.select(); }
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = "Copy link";
      button.classList.remove("copied");
      if (feedback) feedback.textContent = "";
    }, 2000);
  });
}

// Clicking a link field selects it all, ready to copy.
for (const input of document.querySelectorAll(".link-field")) {
  input.addEventListener("focus", () => input.select());
}
