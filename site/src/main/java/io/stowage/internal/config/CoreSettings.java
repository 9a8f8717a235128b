package io.stowage.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The core settings as the configuration loader declares them, read for the site's
 * configuration reference. It lives in the loader's package, on the site's class path only,
 * because the declarations are package-private: reading them here, rather than copying them,
 * is what keeps the reference from drifting.
 */
public final class CoreSettings {
  private CoreSettings() {}

  /**
   * One setting of the typed model.
   *
   * @param key the {@code stowage:} key
   * @param libstorage the libStorage key, if any
   * @param rexray the REX-Ray 0.3 key, if any
   * @param expected what a value must be, as a noun phrase
   * @param defaultValue the default as {@code config show} prints it; empty when unset
   */
  public record Entry(String key, Optional<String> libstorage, Optional<String> rexray,
      String expected, String defaultValue) {}

  /**
   * Returns every setting, in the loader's display order.
   *
   * @return the settings
   */
  public static List<Entry> settings() {
    List<Entry> entries = new ArrayList<>();
    for (Setting<?> setting : Schema.SETTINGS) {
      entries.add(new Entry(setting.key(), spelling(setting, Schema.LIBSTORAGE),
          spelling(setting, Schema.REXRAY), setting.expected(), shownDefault(setting)));
    }
    return entries;
  }

  /**
   * Returns the keys of REX-Ray and libStorage that Stowage accepts with a warning.
   *
   * @return the keys; each also covers the keys below it
   */
  public static List<String> unusedKeys() {
    return Schema.UNUSED;
  }

  /**
   * Returns the driver section roots Stowage knows whether or not their driver is installed.
   *
   * @return the roots, sorted, with the driver each belongs to
   */
  public static Map<String, String> knownSections() {
    return new TreeMap<>(Schema.KNOWN_SECTIONS);
  }

  /**
   * Returns the environment variable that sets a key, as the loader derives it.
   *
   * @param key a dotted key
   * @return the variable's name
   */
  public static String environmentVariable(String key) {
    return Schema.envName(key);
  }

  /**
   * Returns the variables the loader reads that are not derived from a key (REX-Ray's managed
   * plugin's), with the key each sets.
   *
   * @return the variables, sorted
   */
  public static Map<String, String> otherVariables() {
    Schema schema = new Schema(List.of());
    List<String> derived = new ArrayList<>();
    Schema.SETTINGS.forEach(s -> s.spellings().keySet()
        .forEach(k -> derived.add(Schema.envName(k))));
    Schema.UNUSED.forEach(k -> derived.add(Schema.envName(k)));
    Map<String, String> others = new TreeMap<>();
    for (String name : schema.envNamesWithPrefix("")) {
      if (!derived.contains(name)) {
        others.put(name, schema.keyOfEnv(name).orElseThrow());
      }
    }
    return others;
  }

  private static Optional<String> spelling(Setting<?> setting, int rank) {
    return setting.spellings().entrySet().stream().filter(e -> e.getValue() == rank)
        .map(Map.Entry::getKey).findFirst();
  }

  private static <T> String shownDefault(Setting<T> setting) {
    return setting.show(setting.defaultValue());
  }
}
