package io.stowage.site;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a built site's internal links: every {@code href} and {@code src} that does not name
 * another host leads to a file of the site and, with a fragment, to an element of that page
 * with that {@code id} (or {@code name}); and every page is reached from {@code index.html}.
 */
final class LinkChecker {
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(href|src)\\s*=\\s*([\"'])(.*?)\\2", Pattern.CASE_INSENSITIVE);
  private static final Pattern ANCHOR =
      Pattern.compile("\\b(?:id|name)\\s*=\\s*([\"'])(.*?)\\1", Pattern.CASE_INSENSITIVE);
  private static final Pattern EXTERNAL = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)");

  private final Path site;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  private LinkChecker(Path site) {
    this.site = site.toAbsolutePath().normalize();
  }

  /**
   * Returns every broken link and every page no link reaches, as {@code page: problem}.
   *
   * @param site the built site's directory
   */
  static List<String> check(Path site) throws IOException {
    return new LinkChecker(site).run();
  }

  private List<String> run() throws IOException {
    List<String> problems = new ArrayList<>();
    Map<Path, Set<Path>> linked = new HashMap<>();
    List<Path> pages = pages();
    for (Path page : pages) {
      String html = Files.readString(page);
      Set<Path> targets = new HashSet<>();
      Matcher m = REFERENCE.matcher(html);
      while (m.find()) {
        String link = m.group(3).replace("&amp;", "&");
        if (link.isEmpty() || link.equals("#") || EXTERNAL.matcher(link).find()) {
          continue;
        }
        String problem = problem(page, link, targets);
        if (problem != null) {
          problems.add(site.relativize(page) + ": " + m.group(1) + "=\"" + link + "\" "
              + problem);
        }
      }
      linked.put(page, targets);
    }
    Set<Path> reached = new HashSet<>();
    Deque<Path> queue = new ArrayDeque<>(List.of(site.resolve("index.html")));
    while (!queue.isEmpty()) {
      Path page = queue.poll();
      if (reached.add(page)) {
        queue.addAll(linked.getOrDefault(page, Set.of()));
      }
    }
    for (Path page : pages) {
      if (!reached.contains(page)) {
        problems.add(site.relativize(page) + ": no link from index.html reaches this page");
      }
    }
    return problems;
  }

  /** Returns what is wrong with a link, or null; adds the page it leads to. */
  private String problem(Path page, String link, Set<Path> targets) throws IOException {
    int hash = link.indexOf('#');
    String path = hash < 0 ? link : link.substring(0, hash);
    int query = path.indexOf('?');
    path = URLDecoder.decode(query < 0 ? path : path.substring(0, query),
        StandardCharsets.UTF_8);
    Path target = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
    if (!target.startsWith(site)) {
      return "leads out of the site";
    }
    if (Files.isDirectory(target)) {
      target = target.resolve("index.html");
    }
    if (!Files.isRegularFile(target)) {
      return "leads to " + site.relativize(target) + ", which does not exist";
    }
    if (target.toString().endsWith(".html")) {
      targets.add(target);
      if (hash >= 0) {
        String fragment = URLDecoder.decode(link.substring(hash + 1), StandardCharsets.UTF_8);
        if (!fragment.isEmpty() && !anchors(target).contains(fragment)) {
          return "names #" + fragment + ", which " + site.relativize(target) + " lacks";
        }
      }
    }
    return null;
  }

  private Set<String> anchors(Path page) throws IOException {
    Set<String> ids = anchors.get(page);
    if (ids == null) {
      ids = new TreeSet<>();
      Matcher m = ANCHOR.matcher(Files.readString(page));
      while (m.find()) {
        ids.add(m.group(2));
      }
      anchors.put(page, ids);
    }
    return ids;
  }

  private List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.walk(site)) {
      return files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
    }
  }
}
