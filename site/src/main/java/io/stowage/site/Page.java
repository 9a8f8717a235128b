package io.stowage.site;

import java.util.Objects;

/**
 * One page of the site.
 *
 * @param origin where its text comes from, relative to the repository ({@code docs/cli.md});
 *     links in the text are relative to it
 * @param target where it goes, relative to the site's Markdown root ({@code cli.md})
 * @param text its Markdown, before includes, code and links are resolved
 * @param siteOnly whether the page exists on the site only; a page of {@code docs/} must read
 *     on its own, without the site's includes
 */
record Page(String origin, String target, String text, boolean siteOnly) {
  Page {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(text, "text");
  }

  /** Returns the HTML file the page becomes. */
  String html() {
    return SiteMap.html(target);
  }
}
