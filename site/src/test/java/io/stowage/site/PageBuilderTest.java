package io.stowage.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageBuilderTest {
  @TempDir
  Path repo;
  private final List<String> problems = new ArrayList<>();
  private SiteMap map;

  @BeforeEach
  void repository() throws IOException {
    write("src/Demo.java", "class Demo {\n  void run() {\n    // tag::call[]\n"
        + "    call(1);\n    // end::call[]\n  }\n}\n");
    write("docs/cli.md", "# Commands\n\nIntro.\n\n## With Docker\nRun [it](#with-docker).\n"
        + "### Detail\nMore.\n\n## Other\nOther.\n");
    map = new SiteMap(repo);
    map.put("docs/cli.md", "cli.md");
    map.put("docs/guide/a.md", "guide/a.md");
    map.put("README.md", "index.md");
  }

  @Test
  void takesTaggedCodeFromTheSourceAndChecksTheCopy() {
    String page = build("docs/guide/a.md", "<!-- source: src/Demo.java#call -->\n```java\n"
        + "call(1);\n```\n", false);
    assertEquals(List.of(), problems);
    assertTrue(page.contains("```java\ncall(1);\n```"), page);

    build("docs/guide/a.md", "<!-- source: src/Demo.java#call -->\n```java\ncall(2);\n```\n",
        false);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("the block differs from the source"), problems.get(0));
  }

  @Test
  void aSitePageMayInsertCodeButAPageOfDocsMustShowIt() {
    String page = build("docs/guide/a.md", "<!-- source: src/Demo.java#call -->\n", true);
    assertTrue(page.contains("```java\ncall(1);\n```"), page);
    assertEquals(List.of(), problems);
    build("docs/guide/a.md", "<!-- source: src/Demo.java#call -->\n", false);
    assertEquals(1, problems.size(), problems.toString());
  }

  @Test
  void anUntaggedBlockMustAppearVerbatim() {
    build("docs/guide/a.md", "<!-- source: src/Demo.java -->\n```java\n    call(1);\n```\n",
        false);
    assertEquals(List.of(), problems);
    build("docs/guide/a.md", "<!-- source: src/Demo.java -->\n```java\n    call(3);\n```\n",
        false);
    assertEquals(1, problems.size(), problems.toString());
  }

  @Test
  void includesASectionWithItsLinksLeadingToItsOwnPage() {
    String page = build("docs/guide/a.md", "# A\n<!-- include: docs/cli.md#with-docker -->\n",
        true);
    assertEquals(List.of(), problems);
    assertTrue(page.contains("Run [it](../cli.html#with-docker)."), page);
    assertTrue(page.contains("### Detail"), page);
    assertTrue(!page.contains("Other."), page);
    String lead = build("docs/guide/a.md", "<!-- include-lead: docs/cli.md -->\n", true);
    assertEquals("Intro.\n", lead);
  }

  @Test
  void mapsLinksToPagesAndSourcesAndReportsTheBrokenOnes() {
    String page = build("docs/guide/a.md", "See [c](../cli.md#other), [r](../../README.md),"
        + " [d](../../src/Demo.java), `[not](a link)`, [w](https://example.org/x.md).\n", false);
    assertEquals(List.of(), problems);
    assertEquals("See [c](../cli.html#other), [r](../index.html),"
        + " [d](../source/src/Demo.java.html), `[not](a link)`, [w](https://example.org/x.md).\n",
        page);
    assertEquals(List.of("src/Demo.java"), List.copyOf(map.sourcePages().keySet()));
    build("docs/guide/a.md", "[x](../missing.md) [y](../../../outside.md)\n", false);
    assertEquals(2, problems.size(), problems.toString());
  }

  @Test
  void headingsGetGitHubAnchors() {
    String page = build("docs/guide/a.md", "## The `fake` driver\n## Settings\n## Settings\n"
        + "```\n# not a heading\n```\n", false);
    assertEquals("## The `fake` driver <a id=\"the-fake-driver\"></a>\n"
        + "## Settings <a id=\"settings\"></a>\n## Settings <a id=\"settings-1\"></a>\n"
        + "```\n# not a heading\n```\n", page);
  }

  private String build(String origin, String text, boolean siteOnly) {
    problems.clear();
    String target = origin.substring("docs/".length());
    return new PageBuilder(repo, map, problems).build(new Page(origin, target, text, siteOnly))
        .replaceAll("\n+$", "\n");
  }

  private void write(String path, String text) throws IOException {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
