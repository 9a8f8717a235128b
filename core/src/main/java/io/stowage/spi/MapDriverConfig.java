package io.stowage.spi;

import io.stowage.exception.InvalidArgumentException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one {@link DriverConfig}: values by normalized key, bound by {@link SettingsBinder}. */
final class MapDriverConfig implements DriverConfig {
  private final String driverName;
  private final Map<String, Value> values;

  MapDriverConfig(String driverName, List<Value> given) {
    this.driverName = StorageDriverProvider.requireValidName(driverName);
    Map<String, Value> byKey = new LinkedHashMap<>();
    for (Value value : given) {
      String key = SettingsBinder.normalize(value.key());
      if (key.isEmpty()) {
        throw new InvalidArgumentException("setting key", value.key(),
            "must name a setting of " + driverName);
      }
      Value before = byKey.put(key, value);
      if (before != null && !before.key().equals(value.key())) {
        throw new InvalidArgumentException("setting key", value.key(), "is the same setting as "
            + before.key() + " (keys ignore case, '_' and '-')");
      }
    }
    this.values = Collections.unmodifiableMap(byKey);
  }

  /** The values by normalized key. */
  Map<String, Value> values() {
    return values;
  }

  @Override
  public String driverName() {
    return driverName;
  }

  @Override
  public <T extends Record> T bind(Class<T> settingsType) {
    return SettingsBinder.bind(this, settingsType);
  }

  @Override
  public void check(Class<? extends Record> settingsType) {
    SettingsBinder.check(this, settingsType);
  }

  @Override
  public String toString() {
    return "DriverConfig[" + driverName + "]"
        + values.values().stream().map(Value::key).toList();
  }
}
