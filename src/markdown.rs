//! Replies rendered as Markdown, safely. Model output is untrusted: raw HTML
//! is shown as text, only http(s) and mailto links survive, images become
//! links (never fetched by themselves), and every byte of text is escaped.
//! Parsing is pulldown-cmark's; this module only filters its events.

use crate::i18n::Lang;
use crate::model::{ChatMessage, Role};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Whether a link target may be followed: http(s) and mailto only.
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:")
}

/// Escapes text for an HTML attribute or element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn link_open(url: &str) -> String {
    format!(
        r#"<a href="{}" rel="noopener noreferrer nofollow" target="_blank">"#,
        escape(url.trim())
    )
}

/// The language of a fenced code block (`rust` in "```rust title"), or `None`.
fn fence_language(kind: &CodeBlockKind) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split([' ', ',', '{'])
            .next()
            .filter(|l| !l.is_empty())
            .map(str::to_string),
        CodeBlockKind::Indented => None,
    }
}

/// Renders Markdown to HTML that is safe to insert into the page.
pub fn to_safe_html(markdown: &str, lang: Lang) -> String {
    let t = lang.texts();
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // For each open link or image: whether it was kept (its end must match).
    let mut open_links: Vec<bool> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            // Raw HTML is shown, never run.
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            // Chat text keeps its line breaks.
            Event::SoftBreak => events.push(Event::HardBreak),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                // `<someone@example.org>` carries the bare address.
                let dest_url = match link_type {
                    LinkType::Email => CowStr::from(format!("mailto:{dest_url}")),
                    _ => dest_url,
                };
                let safe = is_safe_url(&dest_url);
                if safe {
                    events.push(Event::Html(CowStr::from(link_open(&dest_url))));
                }
                open_links.push(safe);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                // A link to the image instead of the image: nothing is
                // fetched unless the reader clicks.
                let safe = is_safe_url(&dest_url);
                if safe {
                    events.push(Event::Html(CowStr::from(format!(
                        r#"{}<span class="image-link">🖼 </span>"#,
                        link_open(&dest_url)
                    ))));
                }
                open_links.push(safe);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if open_links.pop().unwrap_or(false) {
                    events.push(Event::Html(CowStr::from("</a>")));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let label = fence_language(&kind).unwrap_or_else(|| t.code.to_string());
                events.push(Event::Html(CowStr::from(format!(
                    r#"<div class="code-block"><div class="code-head"><span class="code-lang">{}</span><button type="button" class="copy-code" data-copied="{}">{}</button></div>"#,
                    escape(&label),
                    escape(t.copied),
                    escape(t.copy),
                ))));
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                events.push(Event::End(TagEnd::CodeBlock));
                events.push(Event::Html(CowStr::from("</div>")));
            }
            // pulldown-cmark aligns columns with a `style` attribute, which
            // the page's Content-Security-Policy refuses: columns keep the
            // default alignment instead.
            Event::Start(Tag::Table(alignments)) => events.push(Event::Start(Tag::Table(
                vec![pulldown_cmark::Alignment::None; alignments.len()],
            ))),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Checks that `html` has only the markup [`to_safe_html`] means to write:
/// these tags, these attributes, and links to http, https and mailto. Text
/// cannot fake a tag (`<` in text is always `&lt;`). The property test and
/// the fuzz target hold every render to it; `Err` names what is not
/// allowed.
pub fn only_allowed_markup(html: &str) -> Result<(), String> {
    const TAGS: [&str; 28] = [
        "p",
        "br",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "a",
        "span",
        "div",
        "button",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ];
    const ATTRS: [&str; 7] = [
        "href",
        "rel",
        "target",
        "class",
        "type",
        "data-copied",
        "start",
    ];
    for tag in html.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("");
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if !TAGS.contains(&name.as_str()) {
            return Err(format!("the tag <{inside}>"));
        }
        let mut rest = inside[inside.find(' ').unwrap_or(inside.len())..].trim();
        while let Some((attr, after)) = rest.split_once("=\"") {
            let attr = attr.trim();
            if !ATTRS.contains(&attr) {
                return Err(format!("the attribute {attr} in <{inside}>"));
            }
            let (value, after) = after.split_once('"').unwrap_or((after, ""));
            if attr == "href" && !is_safe_url(value) {
                return Err(format!("the link {value}"));
            }
            rest = after.trim();
        }
        if !(rest.is_empty() || rest == "/") {
            return Err(format!("<{inside}>"));
        }
    }
    Ok(())
}

/// A reply's answer as the page shows it: inline `<think>` reasoning left
/// out (the page shows it apart, as text), the rest rendered safely.
pub fn answer_html(content: &str, lang: Lang) -> String {
    to_safe_html(&crate::think::split_think(content).answer, lang)
}

/// The closing tag a final paragraph ends the HTML with.
const PARAGRAPH_END: &str = "</p>\n";

/// The HTML of `answer` worked out from the HTML of `before`, an earlier
/// state of the same answer, when the answer only grew by plain words at the
/// end of its last paragraph (what most streamed tokens do): `None` when it
/// must be rendered again. Saves a parse per delta for every follower.
///
/// Sure to equal a full render because: the old answer's last line starts
/// (after its indentation) with a letter or digit (so longer it is no HTML block, list item, quote or
/// heading) and ends with one (so no emphasis or code delimiter run sits at
/// its end, and the line is no thematic break, setext underline or table
/// delimiter row), its
/// HTML ends with a top-level paragraph, its last block has no `[` (a link
/// reference definition renders nothing, so the paragraph might be an
/// earlier one), and the new text is letters, digits, spaces, `,`, `'` and
/// `-` on the same line (none of which escapes, starts a block or pairs
/// with anything before).
pub fn extended_html(before: &str, before_html: &str, answer: &str) -> Option<String> {
    let added = answer.strip_prefix(before).filter(|a| !a.is_empty())?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | ',' | '\'' | '-');
    let ends_in_word = before
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let last_block = before.rsplit("\n\n").next().unwrap_or(before);
    let last_line = before.rsplit('\n').next().unwrap_or(before);
    let starts_in_word = last_line
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !added.chars().all(plain) || !ends_in_word || !starts_in_word || last_block.contains('[') {
        return None;
    }
    let kept = before_html.strip_suffix(PARAGRAPH_END)?;
    // A paragraph's trailing spaces are not rendered.
    let added = added.trim_end_matches(' ');
    Some(format!("{kept}{added}{PARAGRAPH_END}"))
}

/// Gives a reply its rendered answer ([`ChatMessage::html`]) and its
/// failure and notice in the reader's language before it goes to the page;
/// other messages stay text.
pub fn render_for_page(message: &mut ChatMessage, lang: Lang, admin: bool) {
    message.word(lang, admin);
    if message.role == Role::Assistant {
        message.html = Some(answer_html(&message.content, lang));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces of hostile and ordinary Markdown; the property test below
    /// renders every sequence of three.
    const PIECES: [&str; 22] = [
        "hello ",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "<a href=\"javascript:alert(3)\">x</a>",
        "[link](javascript:alert(4))",
        "[ok](https://example.org/?a=1&b=2)",
        "![pic](data:image/svg+xml;base64,PHN2Zz4=)",
        "<details open ontoggle=alert(5)>",
        "</div></p>",
        "&lt;b&gt;",
        "&#x3C;script&#x3E;",
        "**bold",
        "`code <b>`",
        "\n\n```html\n<script>x</script>\n```\n",
        "\n\n| a | <b>b</b> |\n|:-|-:|\n| 1 | 2 |\n",
        "\n- item <i>\n",
        "<svg onload=alert(6)>",
        "<style>*{}</style>",
        "\n> quote <iframe src=x>",
        "<a href='vbscript:x'>",
        "<https://example.org>",
        "<mail@example.org>",
    ];

    #[test]
    fn no_sequence_of_hostile_pieces_gets_markup_or_a_script_url_through() {
        let mut rendered = 0;
        for a in PIECES {
            for b in PIECES {
                for c in PIECES {
                    let source = format!("{a}{b}{c}");
                    let html = to_safe_html(&source, Lang::En);
                    if let Err(found) = only_allowed_markup(&html) {
                        panic!("{found} from {source:?}");
                    }
                    // The streamed patch is the full render, when it applies.
                    let before = format!("{a}{b}");
                    let before_html = to_safe_html(&before, Lang::En);
                    if let Some(patched) = extended_html(&before, &before_html, &source) {
                        assert_eq!(patched, html, "{source:?}");
                    }
                    rendered += 1;
                }
            }
        }
        assert_eq!(rendered, PIECES.len().pow(3));
    }

    #[test]
    fn aligned_tables_carry_no_inline_style() {
        let html = to_safe_html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |", Lang::En);
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("<td>2</td>"), "{html}");
    }

    fn render(md: &str) -> String {
        to_safe_html(md, Lang::En)
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render("Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn only_http_and_mailto_links_survive() {
        let html = render(
            "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](&#106;avascript:alert(1)) \
             [d](data:text/html,hi) [ok](https://example.com/?a=1&b=\"2\") [m](mailto:a@b.c)",
        );
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            html.contains(r#"href="https://example.com/?a=1&amp;b=%222%22""#)
                || html.contains(r#"href="https://example.com/?a=1&amp;b=&quot;2&quot;""#),
            "{html}"
        );
        assert!(html.contains(r#"href="mailto:a@b.c""#), "{html}");
        let auto = render("<https://example.com> and <ana@example.org>");
        assert!(auto.contains(r#"href="https://example.com""#), "{auto}");
        assert!(auto.contains(r#"href="mailto:ana@example.org""#), "{auto}");
        assert!(
            html.contains(">x<") || html.contains("x "),
            "the text of a dropped link stays: {html}"
        );
        assert_eq!(html.matches("<a ").count(), 2, "{html}");
        assert!(
            html.contains(r#"rel="noopener noreferrer nofollow""#),
            "{html}"
        );
    }

    #[test]
    fn images_become_links_and_are_never_fetched() {
        let html = render("![a cat](https://example.com/cat.png) ![bad](javascript:x)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com/cat.png""#),
            "{html}"
        );
        assert!(html.contains("a cat"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
    }

    #[test]
    fn code_blocks_show_their_language_and_a_copy_button() {
        let html = render("```rust\nfn main() { println!(\"<hi>\"); }\n```\n\n```\nplain\n```");
        assert!(
            html.contains(r#"<span class="code-lang">rust</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="code-lang">code</span>"#),
            "{html}"
        );
        assert_eq!(html.matches(r#"class="copy-code""#).count(), 2, "{html}");
        assert!(html.contains("&lt;hi&gt;"), "{html}");
        let hostile = render("```\"><script>x</script>\nbody\n```");
        assert!(!hostile.contains("<script"), "{hostile}");
        assert!(to_safe_html("```\nx\n```", Lang::Es).contains(">Copiar<"));
    }

    #[test]
    fn tables_lists_and_line_breaks_render() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\nline one\nline two");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td>1</td>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains("line one<br />"), "{html}");
    }

    #[test]
    fn pages_get_replies_rendered_without_their_reasoning() {
        let mut reply = ChatMessage::new(
            1,
            Role::Assistant,
            "<think>hidden plan</think>**Done** <b>x</b>",
            crate::model::MessageStatus::Complete,
        );
        render_for_page(&mut reply, Lang::En, true);
        let html = reply.html.clone().unwrap_or_default();
        assert_eq!(html, "<p><strong>Done</strong> &lt;b&gt;x&lt;/b&gt;</p>\n");
        let mut typed = ChatMessage {
            role: Role::User,
            html: None,
            ..reply
        };
        render_for_page(&mut typed, Lang::En, true);
        assert_eq!(typed.html, None, "what people type stays text");
    }

    /// Streams `markdown` in pieces of every size from 1 to 7 bytes and checks
    /// that the shortcut, wherever it is taken, gives what a full render does.
    fn assert_extending_matches_rendering(markdown: &str) {
        for step in 1..=7 {
            let mut before = String::new();
            let mut html = String::new();
            let mut end = 0;
            while end < markdown.len() {
                end = (end + step).min(markdown.len());
                while !markdown.is_char_boundary(end) {
                    end += 1;
                }
                let answer = markdown[..end].trim().to_string();
                let full = render(&answer);
                if let Some(extended) = extended_html(&before, &html, &answer) {
                    assert_eq!(extended, full, "after {answer:?} (from {before:?})");
                }
                before = answer;
                html = full;
            }
        }
    }

    #[test]
    fn extending_a_paragraph_equals_rendering_it_again() {
        let samples = [
            "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12",
            "Plain words, then **bold** and *it*alic and _under_score and __strong__ words",
            "snake_case_name and x_y z*w and a~~b~~c and `co`de and ``two``x",
            "1\n\n1 x\n\n12 then 1 also\n\nabc\n+\nabc\n+ x and\n- y\n\n* z",
            "Title\n=\nSub\n--\nx\n---\nmore words here",
            "para\n\n[ref]:\nhttp://example.com/a\n\n[ref] and [x](http://y) z",
            "| a | b |\n|---|---|\n| 1 | 2 |\nrow words",
            "> quote words\nlazy words\n\n- item words\nlazy\n\n  indented words",
            "```\ncode words\n```\nafter words\n\n    indented code words",
            "&amp &copy; &#123 &am x <b>bold</b> <http://x.y> <a@b.c> x\\ y\\",
            "ends with two  \nspaces and x  y",
            "<think>plan</think>Answer words go on and on",
            "a\n<th x\n\n<table>\n\n   <div a\n\n<pre x\n\n<!-- c\n\n<script a\n\nend",
            "1) a\n\n2) b\n\n#x and # y\n\n~~~\nfence words\n~~~\n\n*a b* c and **a b** c",
            "a\n    b words\n\nx  \ny words\n\n[a b c\n\nwww.example.com words",
        ];
        for sample in samples {
            assert_extending_matches_rendering(sample);
        }
    }

    #[test]
    fn extending_is_used_for_plain_words_only() {
        let html = render("Hello wor");
        assert_eq!(
            extended_html("Hello wor", &html, "Hello world, it's fine").as_deref(),
            Some("<p>Hello world, it's fine</p>\n")
        );
        assert_eq!(extended_html("Hello wor", &html, "Hello wor."), None);
        assert_eq!(extended_html("Hello wor", &html, "Hello wor\nx"), None);
        assert_eq!(extended_html("Hello wor", &html, "Hello wor"), None);
        assert_eq!(extended_html("Hello", &render("Hello"), "Help"), None);
        let underscore = render("_ab_");
        assert_eq!(extended_html("_ab_", &underscore, "_ab_c"), None);
    }

    #[test]
    fn unfinished_markdown_while_streaming_is_fine() {
        let html = render("Here:\n```py\nprint(1");
        assert!(html.contains("print(1"), "{html}");
        assert!(render("**bold").contains("**bold"));
    }
}
