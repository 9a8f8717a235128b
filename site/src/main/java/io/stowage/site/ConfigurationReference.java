package io.stowage.site;

import io.stowage.internal.config.CoreSettings;
import java.util.Map;

/**
 * The core settings' reference page, written from the configuration loader's own
 * declarations ({@link CoreSettings}): every key in its three spellings, the environment
 * variable of each, what a value must be and the default.
 */
final class ConfigurationReference {
  /** Where the page goes. */
  static final String TARGET = "configuration-reference.md";
  /** The file its links are written relative to. */
  static final String ORIGIN = "docs/configuration-reference.md";

  private ConfigurationReference() {}

  /** Returns the page. */
  static Page page() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append("Every setting of the core, as the configuration loader declares it: its key in")
        .append(" Stowage's `stowage:` tree, in libStorage's and in REX-Ray 0.3's spelling, the")
        .append(" environment variable of each spelling, what a value must be, and the default.")
        .append(" This page is generated from the loader's declarations when the site is built.")
        .append(" [Configuration](configuration.md) says where settings come from and how")
        .append(" values are written; each driver's settings are on its")
        .append(" [page](drivers.md).\n\n");
    md.append("| Key | libStorage | REX-Ray 0.3 | Value | Default |\n|---|---|---|---|---|\n");
    for (CoreSettings.Entry e : CoreSettings.settings()) {
      md.append("| `").append(e.key()).append("` | ")
          .append(e.libstorage().map(k -> "`" + k + "`").orElse("—")).append(" | ")
          .append(e.rexray().map(k -> "`" + k + "`").orElse("—")).append(" | ")
          .append(e.expected()).append(" | ")
          .append(e.defaultValue().isEmpty() ? "unset" : "`" + e.defaultValue() + "`")
          .append(" |\n");
    }
    md.append("\n## Environment variables\n\n")
        .append("Each spelling has its variable: the key in upper case with `_` for `.`. When")
        .append(" two spellings of one setting are set, `STOWAGE_` wins over `LIBSTORAGE_`,")
        .append(" which wins over REX-Ray's.\n\n")
        .append("| Key | Variables |\n|---|---|\n");
    for (CoreSettings.Entry e : CoreSettings.settings()) {
      md.append("| `").append(e.key()).append("` | `")
          .append(CoreSettings.environmentVariable(e.key())).append('`');
      e.libstorage().ifPresent(k -> md.append("<br/>`")
          .append(CoreSettings.environmentVariable(k)).append('`'));
      e.rexray().ifPresent(k -> md.append("<br/>`")
          .append(CoreSettings.environmentVariable(k)).append('`'));
      md.append(" |\n");
    }
    Map<String, String> others = CoreSettings.otherVariables();
    if (!others.isEmpty()) {
      md.append("\nREX-Ray's managed Docker plugin rewrote its configuration from variables of")
          .append(" its own; Stowage reads them as the keys they set:\n\n");
      others.forEach((name, key) -> md.append("- `").append(name).append("` sets `")
          .append(key).append("`\n"));
    }
    md.append("\n## Keys accepted with a warning\n\n")
        .append("Keys of REX-Ray and libStorage that Stowage does not use. Each is accepted with")
        .append(" one warning naming it, and covers the keys below it; any other unknown key is")
        .append(" an error.\n\n");
    CoreSettings.unusedKeys().forEach(k -> md.append("- `").append(k).append("`\n"));
    md.append("\n## Driver sections\n\n")
        .append("A driver's settings are a section under its name. These roots are known even")
        .append(" when their driver is not installed (a warning, not an error):\n\n");
    CoreSettings.knownSections().forEach((root, driver) -> md.append("- `").append(root)
        .append(":`").append(root.equals(driver) ? "" : " (the `" + driver + "` driver)")
        .append('\n'));
    return new Page(ORIGIN, TARGET, md.toString(), true);
  }
}
