package io.stowage.site;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which repository file each site page comes from, and so where a link written in the
 * repository leads on the site: a page of {@code docs/} to its page, {@code README.md} to the
 * overview, {@code docs/adr/} to the decision records' index, and any other file of the
 * repository to a page that shows its source.
 */
final class SiteMap {
  /** Where the pages that show a repository file go. */
  static final String SOURCE_DIR = "source/";

  private final Path repository;
  private final Map<String, String> targets = new TreeMap<>();
  private final Map<String, String> sources = new TreeMap<>();

  SiteMap(Path repository) {
    this.repository = repository;
  }

  /** Records that a repository path (a file, or a directory) is shown by a site page. */
  void put(String origin, String target) {
    String previous = targets.putIfAbsent(origin, target);
    if (previous != null && !previous.equals(target)) {
      throw new SiteException(origin + " is shown by both " + previous + " and " + target);
    }
  }

  /**
   * Returns the page a repository path leads to: its own page, else a page showing the file.
   *
   * @param path a normalized path relative to the repository, without a fragment
   */
  Optional<String> target(String path) {
    String page = targets.get(path);
    if (page != null) {
      return Optional.of(page);
    }
    Path file = repository.resolve(path).normalize();
    if (!path.startsWith("docs/") && file.startsWith(repository) && Files.isRegularFile(file)) {
      return Optional.of(sources.computeIfAbsent(path, p -> SOURCE_DIR + p + ".md"));
    }
    return Optional.empty();
  }

  /** Returns the repository files that links lead to, with the page that shows each. */
  Map<String, String> sourcePages() {
    return Collections.unmodifiableMap(sources);
  }

  /** Returns the HTML file of a Markdown target. */
  static String html(String target) {
    return target.substring(0, target.length() - ".md".length()) + ".html";
  }

  /** Returns the link from one target to another ({@code ../cli.html}). */
  static String relative(String from, String to) {
    Path dir = Path.of(from).getParent();
    String link = (dir == null ? Path.of(to) : dir.relativize(Path.of(to))).toString();
    return link.replace('\\', '/');
  }
}
