"""Small stop-word lists for the network's languages: words that say nothing about a topic.

English, French, Italian, Spanish, Portuguese, Polish, German and Dutch: articles, pronouns,
prepositions, conjunctions, common auxiliaries, and the words every workshop note uses ("city",
"need", "more"). Written out here (no download, no dependency); lower case, as `pairing` compares
casefolded words.
"""

EN = """a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just me
more most my no nor not now of off on once only or other our ours out over own same she should so
some such than that the their theirs them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your yours
get got make made many much new use used using via per etc eg ie lot lots let us need needs
city cities local people way ways thing things like well good better best also every one two
three within without across among around still yet even"""

FR = """a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les
leur leurs lui ma mais me meme même mes moi mon ne nos notre nous on ou où par pas pour qu que qui
sa se ses son sur ta te tes toi ton tu un une vos votre vous y été être avoir ai as avons avez ont
est sont était fait faire plus moins très aussi comme si sans sous entre vers chez tout tous toute
toutes autre autres car donc ni or puis ville villes besoin bien peu dont ceci cela ça"""

IT = """a ad al alla alle allo agli ai anche che chi ci come con contro da dal dalla dalle dai
degli dei del della delle dello di dove e ed era essere fa fare gli ha hanno ho i il in io la le
lei li lo loro lui ma mi mia mie miei mio ne negli nei nel nella nelle nello noi non nostra nostre
nostri nostro o per perché più poco quale quali quando quanto quella quelle quelli quello questa
queste questi questo se si sia siamo sono su sua sue sui sul sulla suo suoi tra tu tutti tutto
un una uno voi città molto sempre bisogno essere stato"""

ES = """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos
está están fue fueron ha han hasta hay la las le les lo los más me mi mis mucho muy nada ni no
nos nosotros o os otra otras otro otros para pero poco por porque que quien se ser si sin sobre
son su sus también te tiene tienen todo todos tu tus un una uno unos y ya ciudad ciudades hacer"""

PT = """a à ao aos as às até com como da das de dela dele deles do dos e é ela elas ele eles em
entre era essa essas esse esses esta estas este estes está estão eu foi foram há isso isto já
lhe mais mas me mesmo meu minha muito na nas não nem no nos nós num numa o os ou para pela pelas
pelo pelos por qual quando que quem se sem ser seu seus sua suas também te tem têm tu um uma umas
uns você vocês cidade cidades fazer"""

PL = """a aby ale bardzo bez bo być był była było były będzie co czy dla do gdy gdzie i ich
im innych jak jako je jego jej jest jeszcze jeśli już każdy kiedy kto która które którego który
lub ma mają mi mnie może na nad nam nas nie nich nim niż o od oraz po pod przez przy sam się są
ta tak takie także te tego tej temu ten to tu tym tylko u w we wszystko z za ze że żeby miasto
miasta mieście trzeba więcej"""

DE = """aber alle allem allen aller alles als also am an andere anderen auch auf aus bei bin
bis bist da damit dann das dass dem den denn der des die dies diese diesem diesen dieser dieses
doch dort du durch ein eine einem einen einer eines er es für gegen hat hatte haben hier ich ihr
ihre im in ist ja jede jedem jeden jeder kann kein keine man mehr mit muss nach nicht noch nur ob
oder ohne sehr sein seine sich sie sind so soll über um und uns unter viel vom von vor war was
weil wenn werden wie wir wird zu zum zur zwischen stadt städte"""

NL = """aan al als bij dan dat de der deze die dit doch door een en er had heb heeft hem het hier
hij hoe hun ik in is je kan kon maar me meer men met mij mijn moet na naar niet nog nu of om onder
ons ook op over te tegen toch tot u uit van veel voor want was wat we wel werd wie wij wordt zal
ze zelf zich zij zijn zo zonder stad steden"""

LANGUAGES = {"en": EN, "fr": FR, "it": IT, "es": ES, "pt": PT, "pl": PL, "de": DE, "nl": NL}
STOP_WORDS = frozenset(word for words in LANGUAGES.values() for word in words.split())
