package io.stowage.site;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Heading anchors as GitHub makes them, so that a link written for {@code docs/} on GitHub
 * ({@code cli.md#with-docker}) finds its heading on the site too: lower case, markup and
 * punctuation dropped, blanks as {@code -}, and {@code -1}, {@code -2} after repeats. One
 * instance per page.
 */
final class Slugs {
  private static final Pattern MARKUP = Pattern.compile("<[^>]*>|[`*_\\[\\]]|\\]\\([^)]*\\)");
  private static final Pattern DROPPED = Pattern.compile("[^\\p{L}\\p{N} _-]");

  private final Map<String, Integer> seen = new HashMap<>();

  /** Returns the anchor of a heading's text, unique on this page. */
  String next(String headingText) {
    String slug = of(headingText);
    int count = seen.merge(slug, 1, Integer::sum);
    return count == 1 ? slug : slug + "-" + (count - 1);
  }

  /** Returns the anchor of a heading's text, without regard to repeats. */
  static String of(String headingText) {
    String text = headingText.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
    text = MARKUP.matcher(text).replaceAll("");
    text = DROPPED.matcher(text.strip().toLowerCase(Locale.ROOT)).replaceAll("");
    return text.replace(' ', '-');
  }
}
