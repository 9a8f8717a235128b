package io.stowage.site;

import io.stowage.spi.StorageDriverProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the site's Markdown: every page of {@code docs/} and of the site's own pages, the
 * configuration reference, one page per installed driver (its page in {@code docs/drivers/}
 * with the reference its provider declares), the decision records' index, and a page for
 * each repository file a page links to. Fails listing every broken include, stale code block
 * and link that leads nowhere.
 *
 * <p>The site's own pages are written as if they lay in {@code docs/}: a link reads the same in
 * every page, and a page of {@code docs/} of the same name replaces a site page (the site
 * keeps placeholders for pages that are still being written).
 */
public final class SiteGenerator {
  /** Where a driver page asks for its reference; without it the reference goes last. */
  static final String DRIVER_REFERENCE = "<!-- driver-reference -->";

  private static final Pattern TITLE = Pattern.compile("(?m)^#\\s+(.*)$");

  private final Path repository;
  private final Path sitePages;

  /**
   * Creates a generator.
   *
   * @param repository the repository's root
   * @param sitePages the directory of the site's own pages
   */
  public SiteGenerator(Path repository, Path sitePages) {
    this.repository = repository.toAbsolutePath().normalize();
    this.sitePages = sitePages.toAbsolutePath().normalize();
  }

  /**
   * Generates the site's Markdown.
   *
   * @param args the repository's root, the site's own pages, the output directory
   * @throws IOException when a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SiteGenerator <repository> <pages> <output>");
    }
    Map<String, String> pages = new SiteGenerator(Path.of(args[0]), Path.of(args[1])).build();
    Path out = Path.of(args[2]);
    delete(out);
    for (Map.Entry<String, String> page : pages.entrySet()) {
      Path file = out.resolve(page.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, page.getValue());
    }
    System.out.println("[site] wrote " + pages.size() + " pages to " + out);
  }

  /**
   * Builds every page.
   *
   * @return the Markdown of each page, by its path in the site
   * @throws IOException when a file cannot be read
   */
  public Map<String, String> build() throws IOException {
    Map<String, Page> pages = new TreeMap<>();
    for (Path file : markdown(repository.resolve("docs"))) {
      String target = repository.resolve("docs").relativize(file).toString().replace('\\', '/');
      String origin = repository.relativize(file).toString().replace('\\', '/');
      pages.put(target, new Page(origin, target, PageBuilder.read(file), false));
    }
    for (Path file : markdown(sitePages)) {
      String target = sitePages.relativize(file).toString().replace('\\', '/');
      if (pages.containsKey(target)) {
        System.out.println("[site] docs/" + target + " replaces the site's placeholder "
            + repository.relativize(file));
      } else {
        pages.put(target, new Page("docs/" + target, target, PageBuilder.read(file), true));
      }
    }
    Page reference = ConfigurationReference.page();
    pages.put(reference.target(), reference);
    DriverReference drivers = new DriverReference(repository);
    for (StorageDriverProvider provider : providers()) {
      String target = "drivers/" + provider.name() + ".md";
      String generated = drivers.markdown(provider);
      Page written = pages.get(target);
      String text = written == null ? "# The `" + provider.name() + "` driver\n\n" + generated
          : written.text().contains(DRIVER_REFERENCE)
              ? written.text().replace(DRIVER_REFERENCE, generated)
              : written.text().stripTrailing() + "\n\n" + generated;
      pages.put(target, new Page("docs/" + target, target, text, written == null));
    }
    pages.putIfAbsent("adr/index.md", decisionRecords(pages));

    SiteMap map = new SiteMap(repository);
    pages.values().forEach(p -> map.put(p.origin(), p.target()));
    map.put("README.md", "getting-started.md");
    map.put("docs/adr", "adr/index.md");
    List<String> problems = new ArrayList<>();
    PageBuilder builder = new PageBuilder(repository, map, problems);
    Map<String, String> out = new TreeMap<>();
    pages.values().forEach(p -> out.put(p.target(), builder.build(p)));
    map.sourcePages().forEach((path, target) -> out.put(target, sourcePage(path)));
    if (!problems.isEmpty()) {
      throw new SiteException(problems.size() + " problem(s) in the site's pages:\n- "
          + String.join("\n- ", problems));
    }
    return out;
  }

  /** Returns the installed drivers' providers, by name. */
  static List<StorageDriverProvider> providers() {
    List<StorageDriverProvider> providers = new ArrayList<>();
    Iterator<StorageDriverProvider> found = ServiceLoader.load(StorageDriverProvider.class)
        .iterator();
    found.forEachRemaining(providers::add);
    providers.sort(Comparator.comparing(StorageDriverProvider::name));
    return providers;
  }

  /** Returns the index of the decision records, each by its title. */
  private static Page decisionRecords(Map<String, Page> pages) {
    StringBuilder md = new StringBuilder("# Decision records\n\n")
        .append("Each records a choice between real alternatives: the options, the choice and")
        .append(" why.\n\n");
    pages.values().stream().filter(p -> p.target().startsWith("adr/")).forEach(p -> {
      Matcher title = TITLE.matcher(p.text());
      md.append("- [").append(title.find() ? title.group(1).strip() : p.target()).append("](")
          .append(p.target().substring("adr/".length())).append(")\n");
    });
    return new Page("docs/adr/index.md", "adr/index.md", md.toString(), true);
  }

  /** Returns the page that shows a repository file. */
  private String sourcePage(String path) {
    String code = PageBuilder.read(repository.resolve(path));
    if (!code.endsWith("\n")) {
      code += "\n";
    }
    String fence = PageBuilder.fenceFor(code);
    return "# " + path.substring(path.lastIndexOf('/') + 1) + "\n\n`" + path
        + "` in the repository, as this site was built from it.\n\n" + fence
        + PageBuilder.language(path) + "\n" + code + fence + "\n";
  }

  private static List<Path> markdown(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".md") && Files.isRegularFile(f))
          .sorted().toList();
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
