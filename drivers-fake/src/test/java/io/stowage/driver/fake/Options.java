package io.stowage.driver.fake;

import io.stowage.model.VolumeOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/** Volume options from key-value pairs, for tests. */
final class Options {
  private Options() {}

  static VolumeOptions of(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return VolumeOptions.parse(map);
  }
}
