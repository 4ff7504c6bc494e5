package io.funcpipe.adapters.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the XHTML events Tika emits for one document into text a chunker can cut well: block
 * elements end a paragraph (a blank line), list items and table rows a line, table cells a tab;
 * headings become Markdown headings ({@code ## Title}) on their own paragraph; the head
 * (title, meta) is left out (the title arrives as metadata). Tika's PDF parser wraps each page in
 * {@code <div class="page">}: each such page of the outer document (not of an attachment) gets its
 * own text, so a PDF can become one document per page.
 *
 * <p>Bounds: more than {@code maxChars} characters throw {@link LimitReached}; every event first
 * checks {@code aborted} (the time limit, see {@link ParseWorkers}) and throws {@link Aborted}
 * when it is set, so a parser that keeps emitting stops at its next event.
 */
final class DocumentHandler extends DefaultHandler {

    /** The text went past the character limit. */
    static final class LimitReached extends SAXException {
        LimitReached(int limit) {
            super("the text is longer than the limit of " + limit + " characters");
        }
    }

    /** The parse was abandoned (its time limit passed). */
    static final class Aborted extends SAXException {
        Aborted() {
            super("parsing was abandoned");
        }
    }

    private static final Set<String> PARAGRAPHS = Set.of("p", "div", "section", "article", "blockquote", "pre",
            "table", "ul", "ol", "dl", "header", "footer", "aside", "nav", "main", "figure", "form", "hr");
    private static final Set<String> LINES = Set.of("li", "tr", "dt", "dd", "br", "caption");
    private static final Set<String> CELLS = Set.of("td", "th");

    private final int maxChars;
    private final BooleanSupplier aborted;
    private final List<StringBuilder> pages = new ArrayList<>();
    /** For each open div: whether it is a page of the outer document, an attachment, or neither. */
    private final Deque<String> divs = new ArrayDeque<>();
    private StringBuilder current = new StringBuilder();
    private int attachmentDepth;
    private int headDepth;
    private int chars;

    DocumentHandler(int maxChars, BooleanSupplier aborted) {
        this.maxChars = maxChars;
        this.aborted = aborted;
        pages.add(current);
    }

    /**
     * The text of each page: element 0 holds what came before the first page (for a document
     * without pages, all of it); element {@code n} holds page {@code n}.
     */
    List<String> pages() {
        return pages.stream().map(StringBuilder::toString).toList();
    }

    /** Whether the document had pages (a PDF). */
    boolean paged() {
        return pages.size() > 1;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        check();
        String name = name(localName, qName);
        if (name.equals("head")) {
            headDepth++;
            return;
        }
        if (headDepth > 0) {
            return;
        }
        if (name.equals("div")) {
            String cls = atts.getValue("class");
            if ("page".equals(cls) && attachmentDepth == 0) {
                current = new StringBuilder();
                pages.add(current);
                divs.push("page");
                return;
            }
            if ("package-entry".equals(cls) || "embedded".equals(cls)) {
                attachmentDepth++;
                divs.push("attachment");
                paragraph();
                return;
            }
            divs.push("");
        }
        int level = heading(name);
        if (level > 0) {
            paragraph();
            append("#".repeat(level) + " ");
        } else if (PARAGRAPHS.contains(name)) {
            paragraph();
        } else if (LINES.contains(name)) {
            line();
        } else if (CELLS.contains(name)) {
            cell();
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        check();
        String name = name(localName, qName);
        if (name.equals("head")) {
            headDepth--;
            return;
        }
        if (headDepth > 0) {
            return;
        }
        if (name.equals("div") && !divs.isEmpty() && divs.pop().equals("attachment")) {
            attachmentDepth--;
        }
        if (heading(name) > 0 || PARAGRAPHS.contains(name)) {
            paragraph();
        } else if (LINES.contains(name)) {
            line();
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        check();
        if (headDepth == 0) {
            append(ch, start, length);
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        characters(ch, start, length);
    }

    private void check() throws SAXException {
        if (aborted.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new Aborted();
        }
    }

    private void paragraph() throws SAXException {
        trimTrailing(true);
        if (current.length() > 0) {
            append("\n\n");
        }
    }

    private void line() throws SAXException {
        trimTrailing(false);
        int n = current.length();
        if (n > 0 && current.charAt(n - 1) != '\n') {
            append("\n");
        }
    }

    private void cell() throws SAXException {
        int n = current.length();
        if (n > 0 && current.charAt(n - 1) != '\n' && current.charAt(n - 1) != '\t') {
            append("\t");
        }
    }

    /** Drops trailing blanks (and line breaks too when {@code newlines}), giving their characters back. */
    private void trimTrailing(boolean newlines) {
        int n = current.length();
        while (n > 0 && blank(current.charAt(n - 1), newlines)) {
            n--;
        }
        chars -= current.length() - n;
        current.setLength(n);
    }

    private static boolean blank(char c, boolean newlines) {
        return c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'));
    }

    private void append(String s) throws SAXException {
        grow(s.length());
        current.append(s);
    }

    private void append(char[] ch, int start, int length) throws SAXException {
        grow(length);
        current.append(ch, start, length);
    }

    private void grow(int n) throws LimitReached {
        if (chars + (long) n > maxChars) {
            throw new LimitReached(maxChars);
        }
        chars += n;
    }

    private static int heading(String name) {
        if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
            return name.charAt(1) - '0';
        }
        return 0;
    }

    private static String name(String localName, String qName) {
        String name = localName == null || localName.isEmpty() ? qName : localName;
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }
}
