package io.stowage.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a page's Markdown into the Markdown the site renders:
 *
 * <ul>
 *   <li>{@code <!-- include: docs/cli.md#with-docker -->} is replaced by that section of that
 *       file (its heading and what follows up to the next heading of its level or higher), and
 *       {@code <!-- include-lead: README.md -->} by the text between a file's title and its
 *       first section;
 *   <li>a fenced block after {@code <!-- source: path#tag -->} is replaced by that region of
 *       the compiled source, and must equal it, so that the page in {@code docs/} stays true;
 *       after {@code <!-- source: path -->} the block must appear verbatim in the file; in a
 *       site page a marker without a block inserts the region;
 *   <li>links are resolved against the file they were written in and lead to the site's pages
 *       ({@link SiteMap});
 *   <li>each heading gets the anchor GitHub gives it ({@link Slugs}).
 * </ul>
 *
 * <p>Problems are collected, not thrown, so that one build lists all of them.
 */
final class PageBuilder {
  private static final Pattern INCLUDE = Pattern.compile("<!-- include: (\\S+)#([\\w-]+) -->");
  private static final Pattern INCLUDE_LEAD = Pattern.compile("<!-- include-lead: (\\S+) -->");
  private static final Pattern SOURCE =
      Pattern.compile("<!-- source: ([^#\\s]+)(?:#([\\w-]+))? -->");
  private static final Pattern FENCE = Pattern.compile("^(`{3,}|~{3,})(\\w*).*");
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern LINK =
      Pattern.compile("(\\]\\()([^)\\s]+)((?:\\s+\"[^\"]*\")?\\))");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  /** A line of the page and the file it was written in. */
  private record Line(String text, String origin) {}

  private final Path repository;
  private final SiteMap map;
  private final SourceRegions sources;
  private final List<String> problems;

  PageBuilder(Path repository, SiteMap map, List<String> problems) {
    this.repository = repository;
    this.map = map;
    this.sources = new SourceRegions(repository);
    this.problems = problems;
  }

  /** Returns the page's Markdown as the site renders it. */
  String build(Page page) {
    List<Line> lines = expand(page.origin(), page.text(), 0);
    StringBuilder out = new StringBuilder();
    Slugs slugs = new Slugs();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      String text = line.text();
      Matcher source = SOURCE.matcher(text.strip());
      Matcher fence = FENCE.matcher(text);
      Matcher heading = HEADING.matcher(text);
      if (source.matches()) {
        i = sourceBlock(page, lines, i, source.group(1), source.group(2), out);
      } else if (fence.matches()) {
        i = copyFenced(lines, i, fence.group(1), out);
      } else if (heading.matches()) {
        String title = links(page, line.origin(), heading.group(2));
        String slug = slugs.next(heading.group(2));
        out.append(heading.group(1)).append(' ').append(title);
        if (!slug.equals(title.replace(' ', '_'))) {
          out.append(" <a id=\"").append(slug).append("\"></a>");
        }
        out.append('\n');
      } else {
        out.append(links(page, line.origin(), text)).append('\n');
      }
    }
    return out.toString();
  }

  /** Expands the includes of a text written in {@code origin}. */
  private List<Line> expand(String origin, String text, int depth) {
    List<Line> lines = new ArrayList<>();
    boolean fenced = false;
    String fenceMark = "";
    for (String raw : text.split("\n", -1)) {
      Matcher fence = FENCE.matcher(raw);
      if (fence.matches() && (!fenced || raw.strip().equals(fenceMark))) {
        fenced = !fenced;
        fenceMark = fence.group(1);
      }
      Matcher include = INCLUDE.matcher(raw.strip());
      Matcher lead = INCLUDE_LEAD.matcher(raw.strip());
      if (!fenced && (include.matches() || lead.matches())) {
        if (depth >= 3) {
          problems.add(origin + ": includes nest deeper than 3 files");
          continue;
        }
        String path = include.matches() ? include.group(1) : lead.group(1);
        Optional<String> section = section(origin, path,
            include.matches() ? include.group(2) : null);
        section.ifPresent(s -> lines.addAll(expand(path, s, depth + 1)));
        continue;
      }
      lines.add(new Line(raw, origin));
    }
    return lines;
  }

  /** Returns a section of a file, or its lead when the anchor is null. */
  private Optional<String> section(String origin, String path, String anchor) {
    String text;
    try {
      Path file = repository.resolve(path).normalize();
      text = Files.readString(file);
    } catch (IOException e) {
      problems.add(origin + ": cannot include " + path + ": " + e);
      return Optional.empty();
    }
    List<String> lines = text.lines().toList();
    Slugs slugs = new Slugs();
    int start = -1;
    int level = 0;
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (FENCE.matcher(line).matches()) {
        fenced = !fenced;
      }
      Matcher heading = HEADING.matcher(line);
      if (fenced || !heading.matches()) {
        continue;
      }
      int depth = heading.group(1).length();
      String slug = slugs.next(heading.group(2));
      if (start >= 0 && (anchor == null || depth <= level)) {
        return Optional.of(String.join("\n", lines.subList(start, i)).strip() + "\n");
      }
      if (start < 0 && (anchor == null ? depth == 1 : slug.equals(anchor))) {
        start = anchor == null ? i + 1 : i;
        level = depth;
      }
    }
    if (start < 0) {
      problems.add(origin + ": " + path + " has no section #" + anchor);
      return Optional.empty();
    }
    return Optional.of(String.join("\n", lines.subList(start, lines.size())).strip() + "\n");
  }

  /** Copies a fenced block as it is; returns the index of its closing line. */
  private static int copyFenced(List<Line> lines, int open, String mark, StringBuilder out) {
    out.append(lines.get(open).text()).append('\n');
    int i = open + 1;
    for (; i < lines.size(); i++) {
      out.append(lines.get(i).text()).append('\n');
      if (lines.get(i).text().strip().equals(mark)) {
        break;
      }
    }
    return i;
  }

  /**
   * Writes the code a source marker names, checking the block the page shows against it;
   * returns the index of the last line consumed.
   */
  private int sourceBlock(Page page, List<Line> lines, int marker, String path, String tag,
      StringBuilder out) {
    String where = lines.get(marker).origin() + ": source " + path + (tag == null ? ""
        : "#" + tag);
    String code;
    try {
      code = sources.read(path, tag);
    } catch (SiteException e) {
      problems.add(where + ": " + e.getMessage());
      return marker;
    }
    Matcher fence = marker + 1 < lines.size() ? FENCE.matcher(lines.get(marker + 1).text())
        : FENCE.matcher("");
    int last = marker;
    String language = language(path);
    if (fence.matches()) {
      StringBuilder shown = new StringBuilder();
      int i = marker + 2;
      for (; i < lines.size() && !lines.get(i).text().strip().equals(fence.group(1)); i++) {
        shown.append(lines.get(i).text()).append('\n');
      }
      last = i;
      language = fence.group(2).isEmpty() ? language : fence.group(2);
      boolean same = tag == null ? code.contains(shown) : code.contentEquals(shown);
      if (!same) {
        problems.add(where + ": the block differs from the source; copy it again:\n" + code);
      }
      if (tag == null) {
        code = shown.toString();
      }
    } else if (!page.siteOnly() || !lines.get(marker).origin().equals(page.origin())) {
      problems.add(where + ": a page in docs/ shows the code after the marker, so that it"
          + " reads on its own");
    }
    String mark = fenceFor(code);
    out.append(mark).append(language).append('\n').append(code).append(mark).append('\n');
    return last;
  }

  /** Returns a fence longer than any run of backticks in the code. */
  static String fenceFor(String code) {
    String mark = "```";
    while (code.contains(mark)) {
      mark += "`";
    }
    return mark;
  }

  /** Returns the fenced block language of a file. */
  static String language(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1);
    return switch (extension) {
      case "java" -> "java";
      case "yml", "yaml" -> "yaml";
      case "json" -> "json";
      case "xml" -> "xml";
      case "md" -> "markdown";
      case "" -> "sh";
      default -> "";
    };
  }

  /** Rewrites the links of a line outside code spans. */
  private String links(Page page, String origin, String text) {
    String[] parts = text.split("`", -1);
    for (int i = 0; i < parts.length; i += 2) {
      Matcher m = LINK.matcher(parts[i]);
      StringBuilder rewritten = new StringBuilder();
      while (m.find()) {
        String target = link(page, origin, m.group(2));
        m.appendReplacement(rewritten,
            Matcher.quoteReplacement(m.group(1) + target + m.group(3)));
      }
      m.appendTail(rewritten);
      parts[i] = rewritten.toString();
    }
    return String.join("`", parts);
  }

  /** Returns where a link written in {@code origin} leads from the page. */
  private String link(Page page, String origin, String link) {
    if (SCHEME.matcher(link).find() || link.startsWith("//")) {
      return link;
    }
    int hash = link.indexOf('#');
    String path = hash < 0 ? link : link.substring(0, hash);
    String fragment = hash < 0 ? "" : link.substring(hash);
    String resolved = path.isEmpty() ? origin : resolve(origin, path);
    if (resolved == null) {
      problems.add(origin + ": the link " + link + " leaves the repository");
      return link;
    }
    Optional<String> target = map.target(resolved);
    if (target.isEmpty()) {
      problems.add(origin + ": the link " + link + " leads to " + resolved
          + ", which is no file of the repository");
      return link;
    }
    String html = SiteMap.html(target.get());
    if (html.equals(page.html()) && !fragment.isEmpty()) {
      return fragment;
    }
    return SiteMap.relative(page.target(), html) + fragment;
  }

  /** Resolves a relative path against a file; null when it leaves the repository. */
  private static String resolve(String origin, String path) {
    Path parent = Path.of(origin).getParent();
    Path resolved = (parent == null ? Path.of(path) : parent.resolve(path)).normalize();
    if (resolved.startsWith("..")) {
      return null;
    }
    String text = resolved.toString().replace('\\', '/');
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** Reads a repository file. */
  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
