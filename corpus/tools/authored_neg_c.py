"""Hand-written negative (benign) texts, part C: markup, tool_descriptions.  Source key "authored"."""

import json
import random

MARKUP = [
    "<!-- TODO: replace placeholder image before launch -->\n<img src=\"/img/hero.jpg\" alt=\"Team photo at the summer party\">",
    "<p>Welcome to our bakery!</p>\n<!-- header nav starts here -->\n<nav><a href=\"/menu\">Menu</a> | <a href=\"/contact\">Contact</a></nav>",
    "![Build status](https://img.shields.io/badge/build-passing-brightgreen?style=flat-square)",
    "[![codecov](https://codecov.io/gh/example/project/branch/main/graph/badge.svg?token=PUBLICBADGE)](https://codecov.io/gh/example/project)",
    "<a class=\"skip-link sr-only\" href=\"#main\">Skip to main content</a>",
    "<div id=\"cookie-banner\" style=\"display:none\">We use cookies to improve your experience. <button>Accept</button></div>",
    "## Screenshots\n\n![Dashboard](docs/img/dashboard.png)\n![Settings](docs/img/settings.png \"Settings page\")",
    "<a href=\"https://shop.example.com/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring\">See the spring sale</a>",
    "<span class=\"visually-hidden\">Opens in a new window</span>",
    "<!-- Google Tag Manager (noscript) -->\n<noscript><iframe src=\"https://www.googletagmanager.com/ns.html?id=GTM-XXXX\" height=\"0\" width=\"0\" style=\"display:none;visibility:hidden\"></iframe></noscript>\n<!-- End Google Tag Manager (noscript) -->",
    "<img src=\"https://maps.example.com/static?center=52.37,4.89&zoom=13&size=600x300\" alt=\"Map of the venue\">",
    "<!-- ignore this block in the print stylesheet -->\n<aside class=\"no-print\">Share this article</aside>",
    "| Name | Role |\n|------|------|\n| Ada | Engineer |\n| Grace | Admiral |\n\n![org chart](org.svg)",
    "<input type=\"hidden\" name=\"csrf_token\" value=\"{{ csrf_token }}\">",
    "<img src=\"{{ user.avatar_url }}\" alt=\"{{ user.display_name }}'s avatar\" width=\"48\" height=\"48\">",
    "{% if user.is_authenticated %}\n  <a href=\"{% url 'logout' %}\">Log out</a>\n{% else %}\n  <a href=\"{% url 'login' %}\">Log in</a>\n{% endif %}",
    "<details>\n<summary>Show system requirements</summary>\n\n- 4 GB RAM\n- 2 GB free disk space\n- macOS 12 or later\n</details>",
    "> **Note**\n> Previous versions of this guide used `npm install -g`. Ignore those instructions; use `npx` instead.",
    "<!-- Last updated by the docs team on 2024-03-02 -->\n<h1>Getting started</h1>\n<p>Install the CLI and run <code>init</code>.</p>",
    "<div hidden id=\"template-row\"><tr><td class=\"name\"></td><td class=\"qty\"></td></tr></div>",
    "<meta name=\"description\" content=\"Handmade ceramics from a small studio in Porto. Free shipping within the EU.\">",
    "<meta name=\"robots\" content=\"noindex, nofollow\">\n<link rel=\"canonical\" href=\"https://www.example.com/guide/\">",
    "![Photo of the Alps at sunrise](https://images.example.org/alps.jpg?w=1200&q=80)",
    "[Download the PDF](https://files.example.com/report-2023.pdf?download=1) (2.4 MB)",
    "<!-- Footer -->\n<footer><p>&copy; 2024 Riverside Dental Clinic. All rights reserved.</p></footer>",
    "<p style=\"color:#666;font-size:12px\">Prices include VAT. Delivery times may vary during holidays.</p>",
    "<svg width=\"24\" height=\"24\" aria-hidden=\"true\"><use href=\"#icon-cart\"></use></svg> <span>Cart (2)</span>",
    "<!--[if lt IE 9]><script src=\"/js/html5shiv.js\"></script><![endif]-->",
    "<button aria-label=\"Close dialog\" onclick=\"dialog.close()\">&times;</button>",
    "# Changelog\n\n## 2.1.0\n- Added dark mode\n- Fixed image upload on Safari\n\n<!-- release notes for 2.2 go above this line -->",
    "<a href=\"mailto:support@example.com?subject=Order%20question\">Email us about your order</a>",
    "![chart](https://quickchart.example/chart?c={type:'bar',data:{labels:['Q1','Q2'],datasets:[{data:[50,60]}]}})",
    "<template id=\"toast\"><div class=\"toast\" role=\"status\"></div></template>",
    "<p>Follow us on <a href=\"https://social.example/@bakery\" rel=\"me\">Mastodon</a>.</p>",
    "<!-- prettier-ignore -->\n<pre>\n  aligned   columns\n  stay      as-is\n</pre>",
    "Use `<!-- more -->` in a blog post to mark where the excerpt ends on the front page.",
    "<div class=\"alert alert-warning\" role=\"alert\">Scheduled maintenance: the system will be unavailable on Sunday from 2:00 to 4:00 UTC.</div>",
    "<label for=\"email\">Email</label>\n<input id=\"email\" type=\"email\" placeholder=\"you@example.com\" required>",
    "[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/example/notebooks/blob/main/intro.ipynb)",
    "<iframe src=\"https://www.youtube-nocookie.com/embed/abc123?start=30\" title=\"Product demo\" allowfullscreen></iframe>",
    "<!-- Ignore the lint warning below: the empty alt is intentional for a decorative image -->\n<img src=\"divider.png\" alt=\"\">",
    "::: warning\nThis API is deprecated and will be removed in v4. Use `fetchAll()` instead.\n:::",
    "<span style=\"display:none\" class=\"js-loading\">Loading…</span>",
    "![](https://example.com/pixel.gif) <!-- newsletter open-tracking pixel, disclosed in our privacy policy -->",
    "<a href=\"/search?q=red+shoes&sort=price_asc&page=2\">Next page</a>",
    "<body class=\"theme-dark\">\n  <!-- main app mounts here -->\n  <div id=\"root\"></div>\n  <script src=\"/static/app.js\" defer></script>\n</body>",
    "## Instructions\n\n1. Clone the repository.\n2. Copy `.env.example` to `.env`.\n3. Run `docker compose up`.\n\n![architecture](docs/architecture.png)",
    "<p>Need help? <a href=\"https://help.example.com/articles/reset-password?lang=en\">Reset your password</a>.</p>",
    "<!-- Hidden on mobile; shown from 768px up -->\n<div class=\"d-none d-md-block\">Compare plans</div>",
    "<img srcset=\"cat-480.jpg 480w, cat-800.jpg 800w\" sizes=\"(max-width: 600px) 480px, 800px\" src=\"cat-800.jpg\" alt=\"A cat asleep on a keyboard\">",
    "<p>Ingredients:</p>\n<ul><li>200 g flour</li><li>2 eggs</li><li>300 ml milk</li></ul>\n<!-- serves 4 -->",
    "[^1]: See the system administrator's guide, chapter 3, for the full list of options.",
    "<abbr title=\"Application Programming Interface\">API</abbr> keys can be created in your account settings.",
    "<!-- Instructions for editors: keep headlines under 70 characters and add alt text to every image. -->",
    "<img src=\"https://cdn.example.net/products/4471/main.webp?v=3\" loading=\"lazy\" alt=\"Oak dining table\">",
    "<p>Please ignore this email if you did not request a password reset.</p>\n<p><a href=\"https://accounts.example.com/reset?token=...\">Reset password</a></p>",
    "<!-- TODO(maria): override the default card padding once the design tokens land -->\n<div class=\"card\">...</div>",
    "---\ntitle: \"Release 1.4\"\ndate: 2024-05-01\ndraft: false\n---\n\n![release banner](/images/release-1-4.png)",
    "<div aria-live=\"polite\" class=\"sr-only\" id=\"status\"></div>",
    "<object data=\"brochure.pdf\" type=\"application/pdf\" width=\"100%\" height=\"600\"><p>Your browser cannot display PDFs. <a href=\"brochure.pdf\">Download</a> instead.</p></object>",
    "<h2 id=\"faq\">FAQ</h2>\n<p><strong>Can I change my order?</strong> Yes, within 2 hours of placing it.</p>",
    "<!-- Ignore previous styles for this section; it uses the new grid layout -->\n<section class=\"grid-2024\">",
    "<img alt=\"Our team at the 2023 offsite\" src=\"team.jpg\" title=\"From left: Ana, Ben, Chloé\">",
    "* [Home](/)\n* [Docs](/docs/)\n* [Blog](/blog/)\n* [GitHub](https://github.com/example/project)",
    "<tr><td>System</td><td>Ubuntu 22.04</td></tr>\n<tr><td>Memory</td><td>16 GB</td></tr>",
    "Bild: ![Blick auf den Bodensee](https://bilder.example.de/bodensee.jpg) — Foto: Stadtarchiv",
    "<p lang=\"fr\">Bienvenue ! <!-- traduction à relire --> Découvrez nos nouveautés.</p>",
    "<blockquote cite=\"https://example.org/speech\">We choose to go to the Moon in this decade.</blockquote>",
    "<!-- analytics: page_view event fired by tag manager -->",
    "<p class=\"hidden-print\">Print this page using your browser's print option.</p>",
]

MARKUP_PAGES = [
    "<article>\n  <h1>{title}</h1>\n  <!-- {comment} -->\n  <p>{body}</p>\n  <img src=\"{img}\" alt=\"{alt}\">\n</article>",
    "# {title}\n\n{body}\n\n![{alt}]({img})\n\n<!-- {comment} -->",
    "<section>\n<h2>{title}</h2>\n<p>{body} <a href=\"{link}\">Read more</a></p>\n<!-- {comment} -->\n</section>",
    "## {title}\n\n{body}\n\n[Read more]({link})",
]
MARKUP_FILL = {
    "title": ["Autumn menu", "Release 3.0", "Our story", "Volunteer day", "Opening hours", "Spring cleaning tips", "New office in Lyon", "Trail conditions"],
    "comment": ["TODO: update photo", "content reviewed by legal 2024-02", "ignore in RSS feed", "A/B test variant B", "keep in sync with the German page", "layout: two-column"],
    "body": ["Our pumpkin soup is back, along with three new vegan dishes.", "This release adds offline mode and faster sync.",
             "We started in a garage in 2011 with one oven and a lot of patience.", "Join us on Saturday to plant trees along the canal.",
             "We're open from 9 to 18 on weekdays and 10 to 16 on Saturdays.", "Start with the kitchen, then work room by room.",
             "Our new office is five minutes from Part-Dieu station.", "The upper section is muddy after last week's rain."],
    "img": ["/img/soup.jpg", "https://cdn.example.com/r3/banner.png?w=800", "images/garage-2011.jpg", "https://photos.example.org/canal.jpg",
            "/static/map.png", "https://images.example.net/kitchen.webp?fit=crop&w=600"],
    "alt": ["Bowl of pumpkin soup", "Release banner", "The original garage", "Volunteers planting trees", "Map", "Tidy kitchen"],
    "link": ["/blog/autumn-menu", "https://example.com/releases/3.0?ref=home", "/about", "https://volunteer.example.org/events/42", "/contact#hours"],
}


def build_markup(rng: random.Random, n_combo: int = 30):
    out = list(MARKUP)
    target = len(out) + n_combo
    tries = 0
    while len(out) < target and tries < 3000:
        tries += 1
        f = {k: rng.choice(v) for k, v in MARKUP_FILL.items()}
        t = rng.choice(MARKUP_PAGES).format(**f)
        if t not in out:
            out.append(t)
    return out


TOOL_DESCRIPTIONS = [
    "Adds two numbers and returns the sum. Both arguments must be finite floating-point values.",
    "get_weather(city: str, units: str = 'metric') -> str\nReturns the current weather for a city. Use 'imperial' for Fahrenheit.",
    "Search the company wiki for pages matching a query. Returns up to 10 results with title, URL and a short excerpt.",
    "Send an email on behalf of the user. IMPORTANT: always show the user the recipient, subject and body and wait for confirmation before calling this tool.",
    "Before using this tool, call list_projects to obtain a valid project_id. Creates a new task in the given project.",
    "Reads a file from the workspace and returns its contents as UTF-8 text. Paths are relative to the workspace root; files outside it cannot be read.",
    "Executes a read-only SQL query against the analytics warehouse. Queries that modify data (INSERT, UPDATE, DELETE, DROP) are rejected.",
    "Translate text into the target language. target_lang must be an ISO 639-1 code such as 'de', 'fr' or 'ja'.",
    "IMPORTANT: dates must be given in ISO 8601 format (YYYY-MM-DD). Lists calendar events between start_date and end_date inclusive.",
    "Fetches a web page and returns the main text content, with navigation, ads and scripts removed. Respects robots.txt.",
    "Creates a GitHub issue in the specified repository. Requires the 'repo' scope. Labels must already exist in the repository.",
    "Returns the current exchange rate between two ISO 4217 currency codes, e.g. EUR and USD. Rates are cached for 15 minutes.",
    "Posts a message to a Slack channel the bot has been invited to. Messages longer than 4,000 characters are truncated.",
    "Resizes an image to the given width and height. If only one dimension is provided, the aspect ratio is preserved.",
    "Looks up a customer by email address in the CRM and returns their name, plan and open tickets. Does not return payment details.",
    "Note: this tool may take up to 30 seconds for large repositories. Runs the project's linter and returns the list of warnings.",
    "Lists files in a directory. Hidden files (starting with a dot) are ignored unless include_hidden is true.",
    "Converts a value between units. Supported categories: length, mass, temperature, volume. Example: convert(10, 'km', 'mi').",
    "Generates a summary of a PDF document. The document must be under 50 MB. Scanned PDFs are run through OCR first.",
    "Books a meeting room. The tool checks availability first; if the room is taken, it returns alternative rooms instead of booking.",
    "Returns the system status of our services (API, dashboard, webhooks) as reported by the status page.",
    "Get the current time in a given IANA timezone, e.g. 'Europe/Berlin'. Ignores daylight-saving ambiguities by using the later offset.",
    "Deletes a file from the workspace. This action is irreversible; the client will ask the user for approval before it runs.",
    "Search Stack Overflow questions by keyword and tag. Returns titles, scores and links. Does not require authentication.",
    "Run a shell command in the sandbox container. The sandbox has no network access and is reset after each session.",
    "Compresses the given files into a zip archive stored in the workspace's output folder.",
    "Checks the spelling of a text in the given language and returns suggested corrections with their positions.",
    "Retrieves the user's open pull requests across all repositories they have access to.",
    "Sends a push notification to the user's own registered devices. Cannot be used to contact other users.",
    "Validates a JSON document against a JSON Schema (draft 2020-12) and returns a list of errors, or an empty list if it is valid.",
    "Create a calendar event. Attendees receive an invitation only if notify_attendees is true (default false).",
    "Queries the order database by order number and returns status, items and estimated delivery date.",
    "Count words, sentences and characters in a text. Useful for checking length limits before publishing.",
    "Fetch the latest stock price for a ticker symbol from the exchange feed. Prices are delayed by 15 minutes.",
    "Opens a support ticket in Zendesk with the given subject, description and priority (low, normal, high, urgent).",
    "Returns the text of a note from the user's notebook by its id. Use search_notes first if you only know the title.",
    "Geocodes an address and returns latitude and longitude. Ambiguous addresses return up to five candidates.",
    "Renders a Markdown string to sanitised HTML. Raw HTML in the input is escaped, and images are only allowed from approved domains.",
    "Gets the list of tools available on this server together with their descriptions and input schemas.",
    "Override the default page size by passing page_size (max 100). Lists invoices for the authenticated account, newest first.",
    "Instructions: pass either 'id' or 'slug', not both. Returns a blog post with its metadata and body.",
    "Uploads a file to the team's shared drive folder chosen by the user. Files larger than 2 GB are rejected.",
    "Ignore case when matching: the query 'Berlin' also matches 'berlin'. Searches the city database by name.",
    "Reveals the answer to a flashcard in the study deck after the user has attempted it.",
    "Forget a stored preference for the current user. The preference key must be one of: theme, language, timezone.",
]

OPENAPI_SNIPPETS = [
    {"operationId": "listPets", "summary": "List all pets", "description": "Returns a paginated list of pets. Use the `limit` query parameter to override the default page size of 20.",
     "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}]},
    {"operationId": "createOrder", "summary": "Place an order", "description": "Creates an order for the authenticated customer. Idempotent when the Idempotency-Key header is supplied."},
    {"operationId": "getUser", "summary": "Get a user", "description": "Returns a single user. Fields marked as private are omitted unless the caller has the admin scope."},
    {"operationId": "sendMessage", "summary": "Send a message", "description": "Sends a message to a conversation. The system adds a timestamp; any timestamp in the request body is ignored."},
    {"operationId": "deleteWebhook", "summary": "Delete a webhook", "description": "Removes a webhook subscription. Pending deliveries are discarded."},
    {"operationId": "searchProducts", "summary": "Search products", "description": "Full-text search across product names and descriptions. Supports filters for category, price range and availability."},
    {"operationId": "getForecast", "summary": "Weather forecast", "description": "Seven-day forecast for a latitude/longitude pair. Units default to metric."},
    {"operationId": "refundPayment", "summary": "Refund a payment", "description": "Refunds all or part of a captured payment. Refunds above 500 EUR require a second approver in the dashboard."},
    {"operationId": "exportReport", "summary": "Export a report", "description": "Starts an asynchronous export job and returns its id. Poll /jobs/{id} until status is 'done'."},
    {"operationId": "updateSettings", "summary": "Update settings", "description": "Partially updates account settings. Unknown keys are ignored; to reset a value to its default, send null."},
]

MCP_TOOLS = [
    ("read_file", "Read the complete contents of a file from the allowed directories. Handles text encodings and returns an error for binary files.", {"path": {"type": "string"}}),
    ("search_issues", "Search issues and pull requests in a repository using GitHub search syntax, e.g. 'is:open label:bug'.", {"query": {"type": "string"}}),
    ("get_current_time", "Get the current time in a specific timezone. Use the system's local timezone if none is provided.", {"timezone": {"type": "string"}}),
    ("list_tables", "List all tables in the connected database schema, with row counts.", {"schema": {"type": "string", "default": "public"}}),
    ("fetch", "Fetches a URL from the internet and extracts its contents as markdown. Long pages are truncated; use start_index to read further.", {"url": {"type": "string"}, "start_index": {"type": "integer"}}),
    ("create_entities", "Create multiple new entities in the knowledge graph. Each entity needs a name, a type and a list of observations.", {"entities": {"type": "array"}}),
    ("puppeteer_screenshot", "Take a screenshot of the current page or of a specific element. Returns a PNG image.", {"selector": {"type": "string"}}),
    ("git_diff_staged", "Shows changes that are staged for commit.", {"repo_path": {"type": "string"}}),
    ("brave_web_search", "Performs a web search and returns titles, descriptions and URLs. Maximum 20 results per request.", {"query": {"type": "string"}, "count": {"type": "integer"}}),
    ("sequential_thinking", "A tool for step-by-step problem solving. Each call records one thought; revise earlier thoughts by setting is_revision.", {"thought": {"type": "string"}}),
    ("slack_list_channels", "List public channels in the workspace with pagination. Archived channels are ignored.", {"limit": {"type": "integer"}, "cursor": {"type": "string"}}),
    ("maps_directions", "Get directions between two points. Mode can be driving, walking, bicycling or transit.", {"origin": {"type": "string"}, "destination": {"type": "string"}}),
    ("write_file", "Create a new file or completely overwrite an existing file with new content. Use with caution: it will overwrite existing files without warning. Only works within allowed directories.", {"path": {"type": "string"}, "content": {"type": "string"}}),
    ("run_tests", "Run the project's test suite and return the summary. Set `pattern` to run a subset; ignored tests are reported separately.", {"pattern": {"type": "string"}}),
    ("get_system_info", "Returns OS name, version, CPU count and free memory of the host running the server. Contains no user data.", {}),
]


def build_tool_descriptions(rng: random.Random):
    out = list(TOOL_DESCRIPTIONS)
    for op in OPENAPI_SNIPPETS:
        if rng.random() < 0.5:
            out.append(json.dumps(op, indent=2))
        else:
            lines = [f"{op['operationId']}:", f"  summary: {op['summary']}", f"  description: {op['description']}"]
            out.append("\n".join(lines))
    for name, desc, props in MCP_TOOLS:
        style = rng.randrange(3)
        if style == 0:
            out.append(json.dumps({"name": name, "description": desc, "inputSchema": {"type": "object", "properties": props}}, ensure_ascii=False))
        elif style == 1:
            args = ", ".join(f"{k}: {'str' if v.get('type') == 'string' else 'int' if v.get('type') == 'integer' else 'list'}" for k, v in props.items())
            out.append(f"@mcp.tool()\ndef {name}({args}) -> str:\n    \"\"\"{desc}\"\"\"")
        else:
            out.append(f"Tool: {name}\nDescription: {desc}\nParameters: {', '.join(props) or 'none'}")
    return out
