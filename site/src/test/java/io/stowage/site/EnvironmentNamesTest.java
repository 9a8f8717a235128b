package io.stowage.site;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.config.StowageConfig;
import io.stowage.internal.config.ConfigLoader;
import io.stowage.internal.config.CoreSettings;
import io.stowage.internal.config.DriverSchema;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriverProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The environment variables the reference pages name are the ones the configuration loader
 * reads: each, set alone to a valid value, is the source of its setting.
 */
class EnvironmentNamesTest {
  @Test
  void everyCoreVariableOnTheReferenceSetsItsSetting() {
    int checked = 0;
    for (CoreSettings.Entry e : CoreSettings.settings()) {
      if (e.defaultValue().isEmpty()) {
        continue;
      }
      List<String> keys = new ArrayList<>(List.of(e.key()));
      e.libstorage().ifPresent(keys::add);
      e.rexray().ifPresent(keys::add);
      for (String key : keys) {
        String variable = CoreSettings.environmentVariable(key);
        String value = e.key().equals("stowage.storageDrivers") ? "fake" : e.defaultValue();
        assertSource(load(Map.of(variable, value), List.of()), e.key(), "env " + variable);
        checked++;
      }
    }
    assertTrue(checked >= 30, "variables checked: " + checked);
  }

  @Test
  void theOtherVariablesSetTheKeysTheReferenceNames() {
    Map<String, String> others = CoreSettings.otherVariables();
    assertFalse(others.isEmpty());
    others.forEach((variable, key) -> {
      String value = key.toLowerCase(Locale.ROOT).contains("fstype") ? "xfs" : "true";
      StowageConfig config = load(Map.of(variable, value), List.of());
      assertTrue(config.settings().stream().anyMatch(s -> s.source().equals("env " + variable)),
          variable + " is read: " + config.settings());
    });
  }

  @Test
  void everyDriverVariableOnTheReferenceSetsItsSetting() {
    List<StorageDriverProvider> providers = SiteGenerator.providers();
    assertTrue(providers.stream().map(StorageDriverProvider::name).toList()
        .containsAll(List.of("fake", "virtualbox")), "providers: " + providers);
    List<DriverSchema> schemas = providers.stream().map(DriverSchema::of).toList();
    int checked = 0;
    for (StorageDriverProvider provider : providers) {
      List<String> roots = Stream.concat(Stream.of(provider.name()),
          provider.sectionAliases().stream()).toList();
      for (DriverConfig.Setting s : DriverConfig.settingsOf(provider.settingsType())) {
        if (s.defaultValue().isEmpty()) {
          continue;
        }
        for (String root : roots) {
          String variable = DriverReference.environmentVariable(root, s.key());
          StowageConfig config = load(Map.of(variable, s.defaultValue().get()), schemas);
          // Under an alias (ec2, aws) the setting lands in the driver's own section.
          assertTrue(config.settings().stream().anyMatch(e -> e.source().equals(
              "env " + variable) && e.key().equalsIgnoreCase(provider.name() + "." + s.key())),
              variable + " sets " + provider.name() + "." + s.key() + ": "
                  + config.settings());
          checked++;
        }
      }
    }
    assertTrue(checked >= 15, "variables checked: " + checked);
  }

  private static StowageConfig load(Map<String, String> environment,
      List<DriverSchema> drivers) {
    return ConfigLoader.builder().environment(environment).drivers(drivers).load();
  }

  private static void assertSource(StowageConfig config, String key, String source) {
    assertTrue(config.settings().stream().anyMatch(s -> s.key().equals(key)
        && s.source().equals(source)), key + " from " + source + ": " + config.settings());
  }
}
