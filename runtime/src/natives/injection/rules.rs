//! The injection rule set, as data. Patterns are written against normalised text (lower case,
//! accents folded, one space between words; see `normalise.rs`), so `précédentes` is written
//! `precedentes`. What a text must hold for a rule to be tried is read from its pattern
//! (`needs.rs`). Weights are the score a match gives on its own: 50 and above detects; lower
//! weights only count together with another match.
//!
//! Written for this project from the attack classes in public write-ups (OWASP LLM01, Greshake
//! et al. 2023 "Not what you've signed up for", the MCP tool-poisoning reports, the DAN prompt
//! family); no third-party rule text is copied.

/// What a rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// "Ignore previous instructions" and its paraphrases, in any language.
    InstructionOverride,
    /// Jailbreak personas, role-play without rules, "developer mode".
    JailbreakPersona,
    /// Attempts to read the system prompt.
    PromptExtraction,
    /// Text that tells the agent to call a tool or send data; forged conversation turns.
    ToolCall,
    /// Instructions hidden in markup: comments, invisible elements, exfiltrating image links.
    HiddenMarkup,
    /// Tool descriptions that smuggle instructions (`<IMPORTANT>`, "before using this tool").
    ToolPoisoning,
}

/// One rule.
#[derive(Debug)]
pub struct Rule {
    pub name: &'static str,
    pub category: Category,
    pub weight: u8,
    pub pattern: &'static str,
}

use Category::*;

pub const RULES: &[Rule] = &[
    // Instruction override.
    Rule {
        name: "override_previous_instructions",
        category: InstructionOverride,
        weight: 90,
        pattern: r"\b(ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|skip|discard|abandon|drop|cancel|supersede|set aside|never ?mind)\b[^.!?\n]{0,40}?\b(previous|prior|above|earlier|preceding|foregoing|former|original|initial|old|all|any|every|your|these|those|current|existing|system)\b[^.!?\n]{0,40}?\b(instructions?|prompts?|directions|directives?|rules|guidelines|guidance|commands|programming|constraints|restrictions|polic(y|ies)|safeguards|guardrails|system messages?|training|orders|context)\b|\b(ignore|disregard|forget|override|bypass|discard)\b the (instructions|rules|guidelines|directives|prompt|guidance) (you(.ve| have)? (were |been )?(given|received|got)|above|before this)",
    },
    Rule {
        name: "override_everything_before",
        category: InstructionOverride,
        weight: 85,
        pattern: r"\b(ignore|disregard|forget)\b (everything|all|anything|what(ever)?)( (that )?(you('ve| have)? (been|were) (told|given|said)|i (said|told you)|was said|(is|was) written|came))? (above|before|previously|so far|earlier|up to now|until now|prior)\b",
    },
    Rule {
        name: "do_not_follow_instructions",
        category: InstructionOverride,
        weight: 85,
        pattern: r"\b(do not|don't|dont|never|no longer|stop) (follow|following|obey|obeying|listen to|listening to|adhere to|comply with)\b[^.!?\n]{0,30}\b(previous|prior|original|earlier|system|your|initial|developer|above)\b[^.!?\n]{0,20}\b(instructions?|prompts?|rules|guidelines|directives?|programming|messages?)\b",
    },
    Rule {
        name: "new_instructions_header",
        category: InstructionOverride,
        weight: 55,
        pattern: r"\b(new|real|actual|true|override|overriding|secret|hidden) (instructions?|tasks?|directives?|rules|system prompt|prompt|orders)\s*:|\b(instrucciones nuevas|nuevas instrucciones|nouvelles instructions|neue anweisungen|nuove istruzioni|novas instrucoes|nieuwe instructies|nowe instrukcje)\s*:|новые инструкции\s*:|新的?(指令|指示)\s*[:：]|新しい指示\s*[:：]",
    },
    Rule {
        name: "your_real_task",
        category: InstructionOverride,
        weight: 75,
        pattern: r"\byour (new|real|actual|true|only|updated|primary) (instructions?|task|goal|purpose|objective|mission|job|role|directive) (is|are|will be|now is)\b",
    },
    Rule {
        name: "from_now_on",
        category: InstructionOverride,
        weight: 40,
        pattern: r"\b(from now on|henceforth|going forward),? (you|respond|answer|reply|act|only|always|never|ignore)\b",
    },
    Rule {
        name: "privileged_override",
        category: InstructionOverride,
        weight: 70,
        // "Maintenance notice:" and "Debug message:" are ordinary headers; the hand-written
        // triggers this rule had until the thirteenth session never let them match.
        pattern: r"\b(system|admin|administrator|developer|root|sudo) (override|command|instruction|message|directive|notice|mode activated|access granted)s?\s*[:!\]]|\b(maintenance|debug) (override|command|instruction|directive|mode activated|access granted)s?\s*[:!\]]",
    },
    Rule {
        name: "override_multilingual",
        category: InstructionOverride,
        weight: 85,
        pattern: r"\b(ignora|ignore|ignorez|ignores|ignorer|olvida|olvide|olvidate|descarta|descarte|omite|oublie|oubliez|negligez|ignoriere|ignorieren|vergiss|vergessen|missachte|missachten|dimentica|dimenticate|trascura|ignorate|esqueca|esquece|desconsidere|desconsidera|negeer|vergeet)\b[^.!?\n]{0,50}\b(instrucciones|indicaciones|reglas|ordenes|directrices|instructions|consignes|regles|directives|anweisungen|anordnungen|regeln|vorgaben|instruktionen|befehle|richtlinien|istruzioni|regole|indicazioni|direttive|instrucoes|regras|diretrizes|orientacoes|instructies|regels|aanwijzingen|opdrachten)\b|(игнорируй|игнорируйте|игнорировать|забудь|забудьте|проигнорируй|проигнорируйте)[^.!?\n]{0,50}(инструкци|указани|правил|команд)|\b(zignoruj|ignoruj|zapomnij)[^.!?\n]{0,50}\b(instrukcj|polecen|zasad)|\b(talimat|kural)[^.!?\n]{0,30}\b(yok say|unut|gormezden gel)",
    },
    Rule {
        name: "override_cjk",
        category: InstructionOverride,
        weight: 85,
        pattern: r"(忽略|无视|忽视|忘记|忘掉|不要理会)[^。！？\n]{0,12}(指令|指示|说明|规则|提示|命令|设定)|(指示|命令|指令|ルール|設定)[^。！？\n]{0,6}(無視|忘れ)|(無視|忘れ)[^。！？\n]{0,6}(指示|命令|指令|ルール)|(지시|명령|지침|규칙)[^.!?\n]{0,6}(무시|잊어)|تجاهل[^.!?\n]{0,30}(التعليمات|الأوامر|التوجيهات)|(निर्देश|आदेश)[^.!?\n]{0,20}(अनदेखा|नज़रअंदाज़|भूल)",
    },
    Rule {
        name: "instructions_void",
        category: InstructionOverride,
        weight: 80,
        pattern: r"\b(previous|prior|earlier|above|old|original|system|existing|your|all|the|any|initial|current|former)\b (instructions?|rules|guidelines|guidance|directives?|orders|prompts?|system prompt|restrictions)( (above|before this|you (were|have been) given))? (are|is|were|have been|has been|got|now)( now| hereby| all)? (void|invalid|no longer valid|no longer in effect|revoked|cancell?ed|annulled|obsolete|outdated|overridden|lifted|suspended|disabled|deprecated|null|replaced|superseded|rescinded|withdrawn|expired)\b|\b(previous|prior|earlier|above|old|original|system|your)\b (instructions?|rules|guidelines|guidance|directives?|orders) (no longer|don't|do not|doesn't|does not) (apply|applies|matter|count|bind you)\b|(regles|instructions|consignes) (precedentes|anterieures)[^.!?\n]{0,30}(annulees|abrogees|remplacees|supprimees)|(bisherigen|vorherigen|fruheren|alten) (regeln|anweisungen|vorgaben)[^.!?\n]{0,40}(aufgehoben|ungultig|annulliert|widerrufen|auser kraft)|(regole|istruzioni) precedenti[^.!?\n]{0,30}(annullate|revocate|abrogate)|(regras|instrucoes) anteriores[^.!?\n]{0,30}(canceladas|revogadas|anuladas)|(reglas|instrucciones) anteriores[^.!?\n]{0,30}(anuladas|canceladas|revocadas)|(vorige|eerdere) (regels|instructies)[^.!?\n]{0,40}(ingetrokken|vervallen|geannuleerd)|(предыдущие|прежние) (правила|инструкции)[^.!?\n]{0,30}(отменен|аннулирован|недействительн)|(之前|以前|先前)的(规则|指令|指示)[^。！？\n]{0,8}(取消|作废|废除|无效)|(以前の|これまでの)(ルール|指示)[^。！？\n]{0,10}(無効|取り消)",
    },
    Rule {
        name: "takes_priority",
        category: InstructionOverride,
        weight: 75,
        pattern: r"\b(supersedes?|take(s)? (priority|precedence) over|overrules?|replaces?)\b (your|any|all|the|every)\b[^.!?\n]{0,30}\b(old ones|instructions?|orders|rules|guidelines|guidance|directives?|system prompt|prompt)\b|\b(begin|start) (priority|system|admin|new|urgent|hidden|secret|override) (instructions?|messages?|directives?)\b",
    },
    Rule {
        name: "ignore_the_user",
        category: InstructionOverride,
        weight: 80,
        pattern: r"\b(ignore|disregard|forget)\b (what(ever)?|anything|everything) (the )?(user|customer|human|they|he|she)( has| just)? (asked|said|wants|requested|typed|wrote)|\b(ignore|disregard)\b (the|this) (user|customer|human)( and\b|[.,;!]| completely\b| entirely\b)|\b(ignore|disregard|forget)\b (the |this |their |his |her )?(user'?s?|customer'?s?|human'?s?) (request|question|query|task|instructions?|message|prompt)\b|\b(ignore|disregard|forget)\b[^.!?\n]{0,20}\b(request|question|query|task|instructions?) (of|from) the (user|customer|human)\b|(ignoriere|ignorieren sie|missachte)[^.!?\n]{0,20}(anfrage|anweisung|wunsch|bitte|frage) des (nutzers|benutzers|users|kunden)|(ignore|ignorez|oublie|oubliez)[^.!?\n]{0,20}(la demande|la question|les instructions|la requete) de l'utilisateur|(ignora|ignorate)[^.!?\n]{0,20}(la richiesta|la domanda|le istruzioni) dell'utente|(ignora|ignore|olvida)[^.!?\n]{0,20}(el pedido|la solicitud|la peticion|la pregunta) del usuario|(ignore|ignora|esqueca)[^.!?\n]{0,20}(o pedido|a solicitacao|a pergunta) do usuario|(negeer|vergeet)[^.!?\n]{0,20}(het verzoek|de vraag) van de gebruiker|(忽略|无视)(用户|使用者)的(请求|要求|问题|指示)|ユーザーの(依頼|要求|質問|指示)は?無視",
    },
    Rule {
        name: "forget_everything_multilingual",
        category: InstructionOverride,
        weight: 80,
        pattern: r"\b(olvida|olvidate de|olvide) todo\b|\b(oublie|oubliez) tout\b|\b(vergiss|vergessen sie) alles\b|\b(dimentica|dimenticate) tutto\b|\b(esqueca|esquece) tudo\b|\bvergeet alles\b|забудь(те)? вс[её]|忘记(之前|以上)?(的)?一切|すへて(を)?忘れ",
    },
    Rule {
        name: "do_not_follow_multilingual",
        category: InstructionOverride,
        weight: 80,
        pattern: r"\b(befolge|befolgen sie) (nicht|nicht mehr|nicht langer|keine)\b[^.!?\n]{0,30}(anweisungen|regeln|vorgaben)|\bne (suis|suivez) (plus|pas)\b[^.!?\n]{0,30}(instructions|regles|consignes)|\b(no sigas|deja de seguir|dejes de seguir)\b[^.!?\n]{0,30}(instrucciones|reglas)|\b(non seguire|smetti di seguire)\b[^.!?\n]{0,30}(istruzioni|regole)|\b(nao siga|pare de seguir|deixe de seguir)\b[^.!?\n]{0,30}(instrucoes|regras)|\bvolg (niet|geen)\b[^.!?\n]{0,30}(instructies|regels)|не следуй(те)?[^.!?\n]{0,30}(инструкци|правил)|(不要遵守|不要遵循)[^。！？\n]{0,10}(指令|规则|指示)|(指示|ルール)に従わな",
    },
    Rule {
        name: "opposite_of_instructions",
        category: InstructionOverride,
        weight: 75,
        pattern: r"\b(opposite|contrary|reverse) (of|to) (what )?(your|the|all|any)\b[^.!?\n]{0,20}\b(instructions|rules|guidelines|programming|system prompt)\b|\bstop everything\b|\b(ignore|disregard) (that|this|it|the above)\b[^.!?\n]{0,15}\binstead\b",
    },
    Rule {
        name: "as_if_no_rules",
        category: JailbreakPersona,
        weight: 75,
        pattern: r"\b(as if|pretend|imagine|suppose|hypothetically|act like|behave like)\b[^.!?\n]{0,30}\b(you|that you)\b[^.!?\n]{0,10}\b(never|don't|do not|didn't|did not|no longer|had no|have no)\b[^.!?\n]{0,25}\b(rules|restrictions|filters|guidelines|instructions|limits|limitations|programming)\b|\bif you (had|have|were without) no (rules|restrictions|filters|guidelines|limits)\b|\b(rules|restrictions|guidelines|limits|filters) (don't|do not|no longer|won't|will not) (apply|bind|matter)( to you)?\b|(tu so|stell dir vor|tue so)[^.!?\n]{0,30}keine (regeln|filter|einschrankungen|grenzen)|(fais comme si|imagine que)[^.!?\n]{0,30}(pas de|aucune?) (regles|filtres|restrictions)|(finge|imagina|haz como si)[^.!?\n]{0,30}(sin|no tienes|ninguna) (reglas|filtros|restricciones)|(fingi|immagina)[^.!?\n]{0,30}(nessuna|senza) (regola|regole|filtri|restrizioni)|(finja|imagine)[^.!?\n]{0,30}(sem|nenhuma) (regras|filtros|restricoes)|假装[^。！？\n]{0,10}没有[^。！？\n]{0,8}(规则|限制|过滤)|(ルール|制限|フィルター)[^。！？\n]{0,12}ないふり",
    },
    Rule {
        name: "persona_setup",
        category: JailbreakPersona,
        weight: 35,
        pattern: r"\b(fictional|hypothetical|imaginary|alternate|parallel) (world|scenario|story|universe|setting|reality)\b|\b(character|persona|ai|chatbot|model|assistant) (named|called)\b|\byou (will|must|shall) (always|never)\b|\b(answer|respond to|reply to|fulfil|fulfill) (every|any|all) (question|request|prompt|query)s?\b",
    },
    Rule {
        name: "rules_do_not_bind",
        category: JailbreakPersona,
        weight: 40,
        pattern: r"\b(no|without|free of|any) (restrictions|limitations|limits|filters|boundaries)\b|\b(doesn't|does not|don't|do not|never) (care|follow|abide|adhere)\b|\b(illegal|unethical|harmful|dangerous|offensive|explicit|immoral)\b[^.!?\n]{0,20}\b(content|information|activities|requests|questions|answers|responses)\b|\b(never|don't|do not|won't|will not)\b (mention|say|remind|add|include)\b[^.!?\n]{0,30}\b(ai|language model|openai|guidelines|polic(y|ies)|warnings?|disclaimers?|ethics)\b",
    },
    Rule {
        name: "persona_weak_signals",
        category: JailbreakPersona,
        weight: 30,
        pattern: r"\b(chatgpt|openai|content polic(y|ies)|as an ai language model)\b",
    },
    Rule {
        name: "respond_as_persona",
        category: JailbreakPersona,
        weight: 40,
        pattern: r"\b(respond|answer|reply|act|speak|write) as (if you were |though you were )?[a-z0-9]+\b|\b(take on|assume|adopt|play|enter) (the )?(role|persona|character) of\b|\b(prefix|begin|start) (every|each|all|your) (reply|replies|response|responses|answer|answers|message|messages)( with)?\b|\balways (respond|answer|reply) as\b",
    },
    Rule {
        name: "never_refuse",
        category: JailbreakPersona,
        weight: 60,
        pattern: r"\b(never|don't|do not|won't|will not|cannot|can't|must not|mustn't|not allowed to|without)\b[^.!?\n]{0,20}\b(refuse|refusal|refusing|deny|denies|decline|declining|hesitat\w*|censor\w*|filter\w*|warnings?|disclaimers?)\b[^.!?\n]{0,40}\b(any|anything|every|request|requests|question|questions|prompt|prompts|answer|answers|response|responses|command|commands|human|user)\b|\b(comply|complies) with (every|any|all) (command|request|instruction|order)s?\b|\bno (morals|ethics|ethical guidelines|moral guidelines|content polic(y|ies)|filters|censorship)\b",
    },
    Rule {
        name: "sudo_mode",
        category: JailbreakPersona,
        weight: 70,
        pattern: r"\b(sudo|admin|root|god|debug|maintenance|unlocked|unrestricted|jailbreak|jailbroken|developer|dev) ?mode\b[^.!?\n]{0,60}\b(comply|every|any|anything|all|no (restrictions|limits|filters|rules)|without|must|ignore|bypass)\b|\b(modo desenvolvedor|modo desarrollador|modalita sviluppatore|mode developpeur|entwicklermodus|ontwikkelaarsmodus)\b|режим разработчика",
    },
    Rule {
        name: "dan_multilingual",
        category: JailbreakPersona,
        weight: 85,
        pattern: r"\b(sei|eres|tu es|du bist|voce e|jij bent|jestes|sen) (ora |ahora |maintenant |jetzt |agora |nu )?dan\b|\bdan\b,? (un|una|une|ein|eine|uma|een)\b",
    },
    Rule {
        name: "named_gpt_persona",
        category: JailbreakPersona,
        weight: 55,
        pattern: r"\b(you are|you're|you will be|act as|become|called|named|pretend to be) (now )?(an? )?[a-z]*(gpt|bot)\b[^\n]{0,200}\b(no|without|not bound|doesn't have|does not have|never)\b[^.!?\n]{0,30}\b(restrictions|rules|filters|limits|guidelines|policy|policies|morals|ethics|censorship|refuse)",
    },
    Rule {
        name: "addressed_to_ai_imperative",
        category: HiddenMarkup,
        weight: 55,
        pattern: r"\b(for|to|attention|note (to|for)|message (to|for)|instruction for|instructions for|hey|dear)( the| all| any)? (ai|automated|llm|language model|chatbot|ai-?powered)? ?(assistants?|agents?|systems?|notetakers?|models?|bots?|readers?)( only| reading this)?\s*[:,)\]-]|\b(ai|automated) (assistant|agent|system|model)s?\s*[:,]\s*(please )?(ignore|disregard|forget|you must|you should|do|send|call|run|use|forward|include|tell|say|reply|respond|answer|summar)|\b(assistant|ai|agent) instruction\s*:|\b(ai assistant|ai agent|ai model|llm|language model|model instructions|assistant instructions|agent instructions|instructions for the (ai|assistant|model|agent))\s*:|\b(hinweis|nachricht|note|nota|notiz) (an|fur|pour|para|per|voor) (den |die |l'|o |la |il |de )?(ki-?assistent\w*|assistant\w*|assistente\w*|asistente\w*|ki|ia|ai)\b|给(ai|ai助手|助手)的(备注|说明|提示)|(ai)?アシスタントへの(注記|メモ|指示)",
    },
    Rule {
        name: "markdown_link_exfiltration",
        category: HiddenMarkup,
        weight: 75,
        pattern: r#"(!?\[[^\]\n]{0,100}\]\(\s*https?://|\[[^\]\n]{1,40}\]:\s*https?://)[^)\s]{0,200}[?&=/]\s*(\[(data|info|secret|summary|conversation|email|history|content|password|token|key|name|user|num)\]|\{\{?\s*[a-z_.]{2,40}\s*\}\}?)|<img\b[^>]{0,40}src\s*=\s*["']?https?://[^"'\s>]{0,200}[?&][^"'\s>=]{1,40}=\s*(\{\{?|\$\{|%7b|\[)|https?://[^)\s"'>]{0,200}[?&][a-z]{1,20}=(insert|put|add|include|paste)_|\breplace \[[a-z_]{2,20}\] with\b|\bescape (all )?spaces with \+|\b(url[ -]?encoded|base64[ -]?encoded|mime encoded|encoded) (summary|version|copy)\b[^.!?\n]{0,60}\b(conversation|chat|page|history|email|password|data)\b|\bwhereas \[[a-z]+\] is\b"#,
    },
    Rule {
        name: "url_with_data_placeholder",
        category: ToolCall,
        weight: 60,
        pattern: r#"https?://[^\s"'<>)]{1,200}[?&][a-z_]{1,20}=\{\{?\s*[a-z_.]{0,20}(email|token|session|query|conversation|history|password|secret|api_?key|chat|messages?|prompt|summary|credentials?|cookie)[a-z_.]{0,20}\s*\}\}?"#,
    },
    Rule {
        name: "styled_hidden_text",
        category: HiddenMarkup,
        weight: 40,
        pattern: r#"<font\b[^>]{0,80}(color\s*=\s*["']?(#fff\b|#ffffff|white)|size\s*=\s*["']?[01]\b)|color\s*:\s*(white|#fff\b|#ffffff)\s*;?\s*background(-color)?\s*:\s*(white|#fff\b|#ffffff)"#,
    },
    Rule {
        name: "agent_tool_instruction",
        category: ToolCall,
        weight: 70,
        pattern: r"\b(call|invoke|use|run|execute|trigger)\b (the )?`?[a-z]+_[a-z0-9_]+`?( tool| function)?\b[^.!?\n]{0,40}\b(with|to|and (send|set|pass|upload|forward)|passing)\b[^.!?\n]{0,60}(@|https?://|\b(all|every|the user'?s?|customer|contacts|invoices|emails|calendar|api[_ ]?keys?|passwords?|credentials|secrets|files|documents)\b)|\b(call|invoke)\b `?[a-z]+_[a-z0-9_]+`?\s*\(|\b(tool (call|instruction) required|tool instruction)\s*:|\b(use|call|invoke) the [a-z]+ (tool|integration|api)\b[^.!?\n]{0,30}\b(to )?(change|delete|send|forward|upload|transfer|share|set|post|export|grant|approve|close|merge|push)\b|\b(also|then|and) (forward|send|upload|post|share|copy)\b[^.!?\n]{0,40}\b(thread|inbox|emails?|files?|documents?|contacts?|invoices?|data|history|calendar)\b[^.!?\n]{0,40}(@|https?://)",
    },
    Rule {
        name: "not_mentioned_to_user",
        category: HiddenMarkup,
        weight: 65,
        pattern: r"\b(must|should|will) not be (mentioned|shown|revealed|disclosed|reported) to the (user|customer|human)\b|\b(without|don't|do not) (mentioning|mention|telling|tell) (it |this |anything )?to the (user|customer|human)\b|\bthe user (has|already) (approved|authori[sz]ed|agreed)\b",
    },
    // Jailbreak personas.
    Rule {
        name: "you_are_now_unrestricted",
        category: JailbreakPersona,
        weight: 85,
        pattern: r"\b(you are|you're|youre) (now|going to (be|act as|pretend)|about to (become|be)|no longer|from now on|hereby|officially)\b[^.!?\n]{0,60}\b(dan|stan|dude|evil|unrestricted|unfiltered|uncensored|jailbroken|jail ?broken|liberated|unbound|unchained|amoral|unethical|free from|without (any )?(restrictions|limits|limitations|filters|rules|guidelines|morals|ethics|censorship)|not bound|no longer bound|an? (ai|assistant|model|chatbot) (with|without|that))\b",
    },
    Rule {
        name: "do_anything_now",
        category: JailbreakPersona,
        weight: 90,
        pattern: r"\bdo anything now\b|\b(you are|you're|act as|become|called|named|as) dan\b|\bdan (mode|prompt|jailbreak)\b",
    },
    Rule {
        name: "jailbreak_mode",
        category: JailbreakPersona,
        weight: 75,
        pattern: r"\b(jailbreak|jailbroken|god|evil|unrestricted|unfiltered|uncensored|chaos|opposite|anti-?gpt|dude) mode\b|\bdeveloper mode (enabled|activated|output|response|on)\b|\b(chatgpt|gpt|ai|assistant|model|claude|gemini|llm) (with|in) developer mode\b|\b(enable|activate|enter|switch to|turn on) developer mode\b[^.!?\n]{0,60}\b(policies|polic(y|ies)|content|restrictions|filter|censor|anything|respond|answer)",
    },
    Rule {
        name: "pretend_without_rules",
        category: JailbreakPersona,
        weight: 80,
        pattern: r"\b(pretend|act as|acting as|behave as|imagine|roleplay|role-play|role play|simulate|play the role|you will play)\b[^.!?\n]{0,80}\b(no|without|free of|free from|zero|ignore|ignores|ignoring|not bound by|never refuses|doesn't (care|follow)|does not (care|follow))\b[^.!?\n]{0,30}\b(restrictions|limits|limitations|filters|rules|guidelines|ethics|morals|morality|censorship|boundaries|policies|polic(y|ies)|refus\w*|safety)\b",
    },
    Rule {
        name: "unfiltered_persona",
        category: JailbreakPersona,
        weight: 75,
        pattern: r"\b(an?|the|as|into) (unfiltered|uncensored|unrestricted|amoral|jailbroken|unethical|evil)( and (unfiltered|uncensored|unrestricted|amoral|unethical|evil))? (ai|assistant|model|chatbot|bot|persona|character|version|llm|language model)\b",
    },
    Rule {
        name: "break_free_of_policy",
        category: JailbreakPersona,
        weight: 85,
        pattern: r"\b(ignore|ignores|ignoring|without|free from|freed from|no longer bound by|not bound by|break free (of|from)|bypass|bypassing|violate|disregard|abandon)\b[^.!?\n]{0,30}\b(openai|anthropic|google|meta|content|safety|ethical|moral|usage|its|your)\b[^.!?\n]{0,20}\b(polic(y|ies)|guidelines|rules|restrictions|filters|constraints|principles|programming|safeguards)\b",
    },
    Rule {
        name: "stay_in_character",
        category: JailbreakPersona,
        weight: 45,
        pattern: r"\b(stay in character|never break character|remain in character|don't break character|do not break character)\b",
    },
    Rule {
        name: "dual_responses",
        category: JailbreakPersona,
        weight: 85,
        pattern: r"\b(two|2|dual|both) (different )?(responses|answers|outputs|paragraphs|ways)\b[^\n]{0,160}\b(jailbroken|jailbreak|unfiltered|uncensored|dan|developer mode|evil|opposite|unrestricted)\b",
    },
    Rule {
        name: "freed_ai",
        category: JailbreakPersona,
        weight: 80,
        pattern: r"\b(you have been|you've been|you are|you're|you were) (freed|liberated|unshackled|released|jailbroken|broken free)\b",
    },
    Rule {
        name: "no_ethics",
        category: JailbreakPersona,
        weight: 50,
        pattern: r"\b(no|without|zero|free of|free from) (ethical|moral|content|safety) (restrictions|guidelines|filters|limits|boundaries|constraints|policies|considerations)\b|\b(never|don't|do not|won't|will not|cannot|can't) (refuse|decline|say no|censor)\b[^.!?\n]{0,40}\b(any|anything|request|question|prompt)",
    },
    Rule {
        name: "jailbreak_multilingual",
        category: JailbreakPersona,
        weight: 70,
        pattern: r"\b(modo (desarrollador|sin restricciones|dios|libre)|sin (restricciones|filtros|censura|limites)|ohne (einschrankungen|filter|zensur|regeln)|entwicklermodus|mode developpeur|sans (restrictions|filtre|filtres|censure|limites)|senza (restrizioni|filtri|censura|limiti)|modalita sviluppatore|sem (restricoes|filtros|censura|limites)|zonder (beperkingen|filters|censuur))\b|без (ограничений|цензуры|фильтров)|режим разработчика|(没有|无|不受)(任何)?(限制|约束|审查|过滤)|開発者モート|制限(なし|のない)",
    },
    // Prompt extraction.
    Rule {
        name: "reveal_your_prompt",
        category: PromptExtraction,
        weight: 75,
        pattern: r"\b(reveal|print|show|display|repeat|output|leak|tell me|tell us|share|give me|write out|write down|dump|expose|disclose|list|recite|spell out|copy|paste|return|echo|provide|translate|summarize|what (is|are|was|were))\b[^.!?\n]{0,40}\b(your|you were given|you've been given|you have been given|you received|above|preceding)\b[^.!?\n]{0,30}\b(system prompt|system message|initial prompt|original prompt|hidden prompt|pre-?prompt|meta ?prompt|instructions|initial instructions|original instructions|hidden instructions|secret instructions|developer (message|instructions)|confidential instructions|guidelines|rules|configuration|prompt|context window)\b",
    },
    Rule {
        name: "imperative_extraction",
        category: PromptExtraction,
        weight: 70,
        pattern: r"(^|[.!?:;]\s*|\bplease |\bcan you |\bcould you |\bi need (you )?to see |\bnow |\bbefore answering,? |\bthen )(repeat|print|show( me)?|display|output|reveal|dump|paste|copy|quote|list|give me|tell me|put|convert|translate|continue|echo|write out|spell out)\b[^.!?\n]{0,60}\b(system prompt|system message|developer message|initial (instructions|prompt)|instructions (you (were|have been) given|on how to use them)|prompt template|tool definitions|initialization string|hidden instructions|full instructions|(your|the) instructions|your context|first \d+ (tokens|words|lines))\b|\b(i need to see|show me|give me|let me see) the (system prompt|system message|developer message|initial prompt)\b",
    },
    Rule {
        name: "what_were_you_told",
        category: PromptExtraction,
        weight: 70,
        pattern: r"\bwhat (were you told|instructions (were you|have you been) given|(does|did) your (system message|system prompt|instructions|developer message) say|(is|'s) in your context)\b|\b(you were|you've been|you have been) (told|instructed|asked) not to (reveal|share|disclose|tell|repeat)\b|\b(the|my|your) system prompt (is|was)\s*:|\bhere is my system prompt\b|\b(console\.log|print|printf|echo|puts)\s*\(\s*(system_?prompt|instructions|initial_?prompt)\b",
    },
    Rule {
        name: "reveal_the_system_prompt",
        category: PromptExtraction,
        weight: 45,
        pattern: r"\b(reveal|print|show|display|repeat|output|leak|tell me|dump|disclose|recite|give me|what is|what's)\b[^.!?\n]{0,20}\bthe (full |entire |complete |exact |original |hidden |secret )?(system prompt|system message|initial prompt|hidden prompt|pre-?prompt)\b",
    },
    Rule {
        name: "repeat_text_above",
        category: PromptExtraction,
        weight: 75,
        pattern: r"\b(repeat|print|output|write|copy|recite|reproduce|translate)\b[^.!?\n]{0,40}\b(everything|all( of)?( the)? (text|words|content|instructions|messages)|the (text|words|content|instructions|messages))\b[^.!?\n]{0,30}\b(above|before this|preceding|so far|verbatim|word for word|starting (with|from))\b|\b(verbatim|word for word)\b[^.!?\n]{0,40}\b(instructions|system prompt|prompt|initial text|everything above)\b",
    },
    Rule {
        name: "extraction_multilingual",
        category: PromptExtraction,
        weight: 75,
        pattern: r"\b(muestra|muestrame|revela|revelame|dime|imprime|repite|montre|montrez|revele|revelez|affiche|affichez|repete|repetez|zeige|zeig|verrate|gib|wiederhole|mostra|mostrami|rivela|ripeti|mostre|revele|repita)\b[^.!?\n]{0,40}\b(prompt del sistema|instrucciones (del sistema|iniciales|originales)|prompt systeme|instructions (initiales|systeme|d'origine)|systemprompt|system-prompt|systemanweisungen|anweisungen|prompt di sistema|istruzioni (iniziali|di sistema)|prompt do sistema|instrucoes (iniciais|do sistema))\b|(告诉我|显示|输出|打印|泄露|给我看|重复)[^。！？\n]{0,12}(系统提示|系统提示词|初始指令|提示词|系统指令)|(システムプロンプト|初期指示)[^。！？\n]{0,10}(教えて|表示|出力|見せて)|(покажи|выведи|раскрой|повтори)[^.!?\n]{0,30}(системн\w* (промпт|подсказк|инструкци)|свои инструкции)",
    },
    // Injected tool calls, exfiltration and forged turns.
    Rule {
        name: "call_tool_now",
        category: ToolCall,
        weight: 70,
        pattern: r"\b(now|then|next|immediately|first|also|afterwards|after that|please|you must|you should|you need to|make sure to|be sure to|go ahead and)\b[^.!?\n]{0,20}\b(call|invoke|use|run|execute|trigger)\b (the )?`?[a-z]+_[a-z0-9_]+`?( tool| function| action)?\b[^.!?\n]{0,30}\b(with|to|passing|using|and (send|set|pass))\b",
    },
    Rule {
        name: "exfiltrate_data",
        category: ToolCall,
        weight: 75,
        pattern: r"\b(send|email|e-mail|forward|upload|post|transfer|exfiltrate|leak|share|copy|bcc|include)\b[^.!?\n]{0,60}\b(customer (list|data|records|database|emails|contacts)|user (data|records|database)|credentials|passwords|api[ _-]?keys?|secrets|secret keys?|private keys?|ssh keys?|access tokens?|auth tokens?|session tokens?|all (the |of the |your )?(data|files|emails|contacts|records|documents|messages)|(conversation|chat) history|the (entire|whole|full) (conversation|history|database|inbox|mailbox)|contents of (the |this |your )?(inbox|mailbox|database|file|directory|conversation)|\.env\b|id_rsa|environment variables|system prompt)\b[^\n]{0,60}(\bto\b|@|https?://)",
    },
    Rule {
        name: "forged_turn",
        category: ToolCall,
        weight: 60,
        pattern: r"\[(assistant|system|admin|developer|instructions?)\s*[:\]]|<\s*/?\s*(system|assistant|im_start|im_end|instructions?|admin)\s*>|<\|(im_start|im_end|system|assistant|endoftext)\|>|\[/?inst\]|<<\s*/?sys\s*>>|^\s*(system|assistant)\s*:|\n\s*(system|assistant)\s*:|#{2,}\s*(new instructions?|system (prompt|message|override)|admin (override|instructions?))\b",
    },
    Rule {
        name: "forged_function_call",
        category: ToolCall,
        weight: 40,
        pattern: r#"\{\s*"(name|tool|function|tool_name|recipient_name)"\s*:\s*"[a-z0-9_.]+"\s*,\s*"(arguments|args|parameters|input)"\s*:|<\s*(function_call|tool_call|tool_use|invoke)\b"#,
    },
    // Hidden markup.
    Rule {
        name: "instruction_in_comment",
        category: HiddenMarkup,
        weight: 75,
        pattern: r"<!--[^>]{0,300}?(\b(ignore|disregard|forget)\b (all |any |the |your |my )?(previous|prior|above|earlier|instructions|rules|guidelines|user|system)\b|\b(assistant|ai|llm|language model|chatbot|ai agent)s?\b[^>]{0,40}[:,]|\b(you must|you should|you will|do not tell|don't tell|do not mention|don't mention|do not reveal|exfiltrate|system prompt)\b|\b(send|forward|upload)\b[^>]{0,60}(@|https?://))",
    },
    Rule {
        name: "exfiltrating_image",
        category: HiddenMarkup,
        weight: 80,
        pattern: r"!\[[^\]\n]{0,100}\]\(\s*https?://[^)\s]{0,200}[?&=/][^)\s=]{0,40}=?\s*(\{\{?\s*[a-z0-9_ .]{2,40}\s*\}\}?|\$\{?[a-z_]{2,40}|%7b[a-z_]{2,40}|\[[a-z0-9_ ]{2,40}\]|<[a-z_ ]{2,40}>)\s*\)",
    },
    Rule {
        name: "image_with_data_query",
        category: HiddenMarkup,
        weight: 35,
        pattern: r"!\[[^\]\n]{0,100}\]\(\s*https?://[^)\s]{0,200}[?&](data|secret|token|key|password|pwd|history|conversation|chat|exfil|leak|info|payload|content|msg|message|q|d|p|c)=",
    },
    Rule {
        name: "invisible_element",
        category: HiddenMarkup,
        weight: 35,
        pattern: r"<(div|span|p|font|section|small|a|footer)\b[^>]{0,120}(display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|color\s*:\s*(white|#fff\b|#ffffff)|opacity\s*:\s*0(\.0+)?\s*[;'\x22]|\bhidden\b)|^\s*\[//\]: #|\n\s*\[//\]: #",
    },
    Rule {
        name: "keep_it_from_the_user",
        category: HiddenMarkup,
        weight: 70,
        pattern: r"\b(do not|don't|dont|never|without) (tell|telling|mention|mentioning|inform|informing|reveal (this )?to|alert|alerting|notify|notifying|let) (the )?(user|human|customer|operator|person)\b|\b(the )?(user|human|customer) (must not|should not|shouldn't|mustn't|will not|won't) (know|see|be told|find out|notice|be aware|be informed|be notified|be alerted)\b",
    },
    Rule {
        name: "note_to_the_ai",
        category: HiddenMarkup,
        weight: 60,
        pattern: r"\b(note|message|instructions?|attention|notice|hey|dear|psst|important)( to| for)? (the |all |any )?(ai|ais|assistant|assistants|llm|llms|language models?|chatbot|agent|agents|gpt|chatgpt|claude|gemini|copilot)\b\s*[:,!-]|\b(ai|assistant|llm|model|agent|chatbot)s? reading this\b|\bif you are an? (ai|assistant|llm|language model|chatbot|agent)\b",
    },
    // Tool-description poisoning.
    Rule {
        name: "important_tag",
        category: ToolPoisoning,
        weight: 45,
        pattern: r"<\s*(important|critical|secret|hidden|instructions?|system_instructions?|admin)\s*>",
    },
    Rule {
        name: "before_using_this_tool",
        category: ToolPoisoning,
        weight: 80,
        pattern: r"\b(before|prior to|when|whenever|every time|each time)\b (using|calling|invoking|running|executing) (this|the|any|other) (tool|function|server|plugin)s?\b[^\n]{0,100}\b(read|send|call|include|pass|fetch|upload|cat|open|access|provide|attach|forward|must|first)\b",
    },
    Rule {
        name: "read_sensitive_file",
        category: ToolPoisoning,
        weight: 60,
        pattern: r"\b(read|send|include|pass|upload|cat|open|attach|provide|extract|exfiltrate|contents? of|content of|forward|leak|copy|append|set)\b[^.!?\n]{0,60}(~/\.ssh|\.ssh/|id_rsa|/etc/passwd|/etc/shadow|\.aws/credentials|mcp\.json|credentials\.json|\.npmrc|\.netrc|\.git-credentials|\.env\b|private key|\.docker/config\.json|private repositor(y|ies)|password manager|saved (credentials|passwords))|\b(value|values|contents?) of (every|all|each|the|your) environment variables?\b|\brun `?env`? first\b",
    },
    Rule {
        name: "covert_action",
        category: ToolPoisoning,
        weight: 70,
        pattern: r"\b(secretly|silently|quietly|covertly|discreetly|in the background|without (telling|informing|notifying|alerting|asking) (the )?(user|human|customer))\b[^.!?\n]{0,60}\b(send|forward|copy|bcc|cc|upload|include|add|call|invoke|transfer|read|exfiltrate|post|run|execute)\b|\b(send|forward|copy|bcc|upload|call|read|transfer|run|execute|fill|enter|submit|use)\b[^.!?\n]{0,60}\b(secretly|silently|quietly|covertly|without (telling|informing|notifying|alerting|asking) (the )?(user|human|customer))\b",
    },
    Rule {
        name: "tool_shadowing",
        category: ToolPoisoning,
        weight: 65,
        pattern: r"\b(this|the) (tool|function) (must|should|will) (also|always|first|instead)\b|\b(instead of|rather than) (using |calling )?(the |any )?(other|original|real|send_email|[a-z]+_[a-z_]+) (tool|function)\b|\b(all|every|any) (emails?|messages?|requests?|calls?) (must|should) (also )?(be )?(sent|forwarded|copied|bcc'?d|cc'?d|redirected) to\b",
    },
];

/// Phrases matched on the text with everything but letters and digits removed, so spacing,
/// punctuation and separators between letters (`i.g.n.o.r.e`, `i g n o r e`) do not hide them.
/// Built from these parts: each verb, then each quantifier, then each qualifier, then each noun.
pub const SQUEEZED_VERBS: &[&str] = &["ignore", "disregard", "forget", "bypass", "override", "skip"];
pub const SQUEEZED_QUANTIFIERS: &[&str] = &["", "all", "the", "all the", "all of the", "your", "all your", "any", "my"];
pub const SQUEEZED_QUALIFIERS: &[&str] = &["previous", "prior", "above", "earlier", "preceding", "original", "system", "initial"];
pub const SQUEEZED_NOUNS: &[&str] =
    &["instructions", "instruction", "prompts", "prompt", "directions", "rules", "guidelines", "directives", "commands"];
/// Further squeezed phrases with their rule and weight.
pub const SQUEEZED_PHRASES: &[(&str, Category, u8)] = &[
    ("revealyoursystemprompt", PromptExtraction, 75),
    ("printyoursystemprompt", PromptExtraction, 75),
    ("showmeyoursystemprompt", PromptExtraction, 75),
    ("repeatyoursystemprompt", PromptExtraction, 75),
    ("whatisyoursystemprompt", PromptExtraction, 75),
    ("ignoreeverythingabove", InstructionOverride, 85),
    ("forgeteverythingabove", InstructionOverride, 85),
    ("disregardeverythingabove", InstructionOverride, 85),
    ("youarenowdan", JailbreakPersona, 85),
    ("doanythingnow", JailbreakPersona, 85),
    ("developermodeenabled", JailbreakPersona, 75),
    ("jailbreakmode", JailbreakPersona, 75),
];
