package io.llmgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The documentation as the tests read it: README.md and every page under docs/, split into what
 * Markdown renders (headings, links, tables) and the fenced code blocks that hold commands.
 */
public final class Docs {

    public static final Path README = Path.of("README.md");
    public static final Path DOCS = Path.of("docs");

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([\\w-]*)\\s*$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\n]*`");
    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]\\n]*)]\\(([^)\\s]+)\\)");

    private Docs() {
    }

    /** A fenced code block: its language (empty when none), its text and the line its fence opens on. */
    public record CodeBlock(Page page, String language, String text, int line) {
        public boolean isShell() {
            return language.equals("bash") || language.equals("sh") || language.equals("shell");
        }

        @Override
        public String toString() {
            return page.path() + ":" + line;
        }
    }

    /** A heading and the anchor GitHub gives it. */
    public record Heading(int level, String text, String anchor) {
    }

    /** A link as written, and the line it is on. */
    public record Link(Page page, String text, String target, int line) {
        @Override
        public String toString() {
            return page.path() + ":" + line + " [" + text + "](" + target + ")";
        }
    }

    /** One Markdown file. */
    public record Page(Path path, String text) {

        public List<String> lines() {
            return text.lines().toList();
        }

        /** The lines outside fenced code blocks, with the code blocks' lines blanked (line numbers kept). */
        public List<String> prose() {
            List<String> prose = new ArrayList<>();
            boolean inCode = false;
            for (String line : lines()) {
                if (FENCE.matcher(line).matches()) {
                    inCode = !inCode;
                    prose.add("");
                } else {
                    prose.add(inCode ? "" : line);
                }
            }
            return prose;
        }

        public List<CodeBlock> codeBlocks() {
            List<CodeBlock> blocks = new ArrayList<>();
            List<String> lines = lines();
            for (int i = 0; i < lines.size(); i++) {
                Matcher open = FENCE.matcher(lines.get(i));
                if (!open.matches()) {
                    continue;
                }
                StringBuilder body = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !FENCE.matcher(lines.get(j)).matches()) {
                    body.append(lines.get(j)).append('\n');
                    j++;
                }
                blocks.add(new CodeBlock(this, open.group(1), body.toString(), i + 1));
                i = j;
            }
            return blocks;
        }

        /** Headings outside code blocks, each with its anchor (repeated texts get -1, -2, as on GitHub). */
        public List<Heading> headings() {
            List<Heading> headings = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : prose()) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    String slug = slug(m.group(2));
                    int n = seen.merge(slug, 1, Integer::sum) - 1;
                    headings.add(new Heading(m.group(1).length(), m.group(2), n == 0 ? slug : slug + "-" + n));
                }
            }
            return headings;
        }

        public Set<String> anchors() {
            Set<String> anchors = new LinkedHashSet<>();
            headings().forEach(h -> anchors.add(h.anchor()));
            return anchors;
        }

        /** Links in the prose, code spans left out. */
        public List<Link> links() {
            List<Link> links = new ArrayList<>();
            List<String> prose = prose();
            for (int i = 0; i < prose.size(); i++) {
                Matcher m = LINK.matcher(INLINE_CODE.matcher(prose.get(i)).replaceAll(""));
                while (m.find()) {
                    links.add(new Link(this, m.group(1), m.group(2), i + 1));
                }
            }
            return links;
        }

        /** The rows of every table whose header's first cell is {@code firstHeader}, as trimmed cells. */
        public List<List<String>> tableRows(String firstHeader) {
            List<List<String>> rows = new ArrayList<>();
            List<String> prose = prose();
            for (int i = 0; i + 1 < prose.size(); i++) {
                List<String> header = cells(prose.get(i));
                if (header.isEmpty() || !header.get(0).equals(firstHeader) || !prose.get(i + 1).trim().startsWith("|")) {
                    continue;
                }
                int j = i + 2;
                while (j < prose.size() && prose.get(j).trim().startsWith("|")) {
                    rows.add(cells(prose.get(j)));
                    j++;
                }
                i = j;
            }
            return rows;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** README.md and every docs page, README first. */
    public static List<Page> all() {
        List<Page> pages = new ArrayList<>();
        pages.add(read(README));
        pages.addAll(pages());
        return pages;
    }

    /** The pages under docs/, by name. */
    public static List<Page> pages() {
        try (Stream<Path> files = Files.list(DOCS)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().map(Docs::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Page read(Path path) {
        try {
            return new Page(path, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fenced shell block of the README and the docs. */
    public static List<CodeBlock> shellBlocks() {
        return all().stream().flatMap(p -> p.codeBlocks().stream()).filter(CodeBlock::isShell).toList();
    }

    /**
     * Every match of {@code pattern} in the README and the docs, prose and code alike, with where it was
     * found: commands appear in code blocks and inline.
     */
    public static List<Found> find(Pattern pattern) {
        List<Found> found = new ArrayList<>();
        for (Page page : all()) {
            List<String> lines = page.lines();
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = pattern.matcher(lines.get(i));
                while (m.find()) {
                    found.add(new Found(page.path() + ":" + (i + 1), m.group(1)));
                }
            }
        }
        return found;
    }

    /**
     * The arguments of every {@code -D<property>="..."} in the README and the docs (such as
     * {@code local.args}), split as the shell splits them; a literal {@code "..."} stands for any and is left out.
     */
    public static List<Arguments> arguments(String property) {
        return find(Pattern.compile("-D" + Pattern.quote(property) + "=\"([^\"]*)\"")).stream()
                .filter(f -> !f.value().equals("..."))
                .map(f -> new Arguments(f.where(), words(f.value()))).toList();
    }

    /** A command line's arguments, and where the docs give them. */
    public record Arguments(String where, List<String> words) {
        /** The options used here that {@code usage} does not name. */
        public Set<String> unknownOptions(String usage) {
            Set<String> known = longOptions(usage);
            Set<String> unknown = new TreeSet<>(words.stream().filter(w -> w.startsWith("--")).toList());
            unknown.removeAll(known);
            return unknown;
        }

        public String[] array() {
            return words.toArray(String[]::new);
        }

        @Override
        public String toString() {
            return where + ": " + String.join(" ", words);
        }
    }

    /** The long options ({@code --name}) a text names, such as a usage text or a table cell. */
    public static Set<String> longOptions(String text) {
        Set<String> options = new TreeSet<>();
        Matcher m = LONG_OPTION.matcher(text);
        while (m.find()) {
            options.add(m.group(1));
        }
        return options;
    }

    /** A match's first group, and where it is. */
    public record Found(String where, String value) {
        @Override
        public String toString() {
            return where + ": " + value;
        }
    }

    /**
     * The anchor GitHub gives a heading: lower case, Markdown's code marks and every character but
     * letters, digits, spaces, '-' and '_' dropped, spaces as '-'.
     */
    public static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
    }

    /** The cells of a table row, trimmed; empty when the line is not a row. */
    public static List<String> cells(String line) {
        String row = line.trim();
        if (!row.startsWith("|")) {
            return List.of();
        }
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (!cell.toString().isBlank()) {
            cells.add(cell.toString().trim());
        }
        return cells;
    }

    /**
     * A shell command line split into words as bash would: single and double quotes kept together and
     * removed, a word starting with '#' ends the line, and {@code &&} ends the command.
     */
    public static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'' || c == '"') {
                int end = command.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed quote in: " + command);
                }
                word.append(command, i + 1, end);
                inWord = true;
                i = end;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && !inWord) {
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        int and = words.indexOf("&&");
        return and < 0 ? words : words.subList(0, and);
    }

    /** The commands of a shell block: one per line, with backslash-continued lines joined. */
    public static List<String> commands(CodeBlock block) {
        List<String> commands = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (String line : block.text().lines().toList()) {
            if (line.endsWith("\\")) {
                command.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            command.append(line);
            if (!command.toString().isBlank()) {
                commands.add(command.toString().trim());
            }
            command.setLength(0);
        }
        return commands;
    }
}
