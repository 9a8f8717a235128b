package io.stowage.site;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkCheckerTest {
  @TempDir
  Path site;

  @Test
  void aSoundSiteHasNoProblem() throws IOException {
    write("index.html", "<a href=\"guide/a.html#step-1\">a</a> <a href=\"https://x.org/\">x</a>"
        + " <link href=\"css/site.css\"> <a href=\"#top\" id=\"top\">top</a>"
        + " <a href=\"guide/\">guide</a>");
    write("guide/a.html", "<h2 id=\"step-1\">1</h2><a href=\"../index.html\">up</a>"
        + " <img src=\"../img/a%20b.png\">");
    write("guide/index.html", "guide");
    write("css/site.css", "body {}");
    write("img/a b.png", "png");
    assertEquals(List.of(), LinkChecker.check(site));
  }

  @Test
  void reportsEveryBrokenLinkAnchorAssetAndUnreachedPage() throws IOException {
    write("index.html", "<a href=\"a.html#gone\">a</a> <a href=\"missing.html\">m</a>"
        + " <script src=\"js/missing.js\"></script> <a href=\"../outside.html\">o</a>"
        + " <a href=\"#nowhere\">n</a>");
    write("a.html", "<h2 id=\"here\">here</h2>");
    write("orphan.html", "<a href=\"index.html\">home</a>");
    assertEquals(List.of(
        "index.html: href=\"a.html#gone\" names #gone, which a.html lacks",
        "index.html: href=\"missing.html\" leads to missing.html, which does not exist",
        "index.html: src=\"js/missing.js\" leads to js/missing.js, which does not exist",
        "index.html: href=\"../outside.html\" leads out of the site",
        "index.html: href=\"#nowhere\" names #nowhere, which index.html lacks",
        "orphan.html: no link from index.html reaches this page"),
        LinkChecker.check(site));
  }

  private void write(String path, String text) throws IOException {
    Path file = site.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
