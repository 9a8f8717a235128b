package io.stowage.site;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the reference pages say about a declaration from its source's javadoc: the
 * {@code @param} text of a record's components, the comments of an enum's constants. Inline
 * tags become Markdown.
 */
final class Javadoc {
  private static final Pattern PARAM =
      Pattern.compile("@param\\s+(\\w+)\\s+(.*?)(?=\\n\\s*\\*\\s*@|\\z)", Pattern.DOTALL);
  private static final Pattern CONSTANT = Pattern.compile(
      "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+\\s*)*([A-Z][A-Z0-9_]*)[ \\t]*(?:[,;(}]|\\n)",
      Pattern.DOTALL);

  private Javadoc() {}

  /**
   * Returns the {@code @param} descriptions of the javadoc comment just before
   * {@code record <name>(} in a source file.
   */
  static Map<String, String> recordComponents(String source, String recordName) {
    Matcher declaration = Pattern.compile("\\brecord\\s+" + recordName + "\\s*[(<]")
        .matcher(source);
    if (!declaration.find()) {
      throw new SiteException("no record " + recordName + " in its source file");
    }
    int end = source.lastIndexOf("*/", declaration.start());
    int start = end < 0 ? -1 : source.lastIndexOf("/**", end);
    if (start < 0) {
      throw new SiteException("record " + recordName + " has no javadoc comment");
    }
    String comment = source.substring(start + 3, end);
    Map<String, String> params = new LinkedHashMap<>();
    Matcher param = PARAM.matcher(comment);
    while (param.find()) {
      params.put(param.group(1), markdown(param.group(2)));
    }
    return params;
  }

  /** Returns the comments of an enum's constants, by constant name. */
  static Map<String, String> enumConstants(String source) {
    Map<String, String> constants = new LinkedHashMap<>();
    Matcher m = CONSTANT.matcher(source);
    while (m.find()) {
      constants.put(m.group(2), markdown(m.group(1)));
    }
    return constants;
  }

  /** Turns comment text into one line of Markdown that fits in a table cell. */
  static String markdown(String comment) {
    String text = comment.replaceAll("(?m)^\\s*\\*\\s?", " ").replaceAll("\\s+", " ").strip();
    text = text.replaceAll("\\{@(?:code|literal)\\s+([^}]*)}", "`$1`");
    text = text.replaceAll("\\{@link(?:plain)?\\s+[^}\\s]+\\s+([^}]+)}", "$1");
    text = text.replaceAll("\\{@link(?:plain)?\\s+#?([^}\\s]+)}", "`$1`");
    text = text.replaceAll("\\{@value\\s+[^}]*}", "");
    text = text.replaceAll("</?(?:em|i|b|strong)>", "*");
    return text.replace("|", "\\|");
  }
}
