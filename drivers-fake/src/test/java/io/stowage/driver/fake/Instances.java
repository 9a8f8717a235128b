package io.stowage.driver.fake;

import io.stowage.Stowage;
import java.nio.file.Path;

/** Stowage builders for simulated instances over one fake back end under a work directory. */
final class Instances {
  private Instances() {}

  /**
   * A builder for one instance: its own mount root and state under {@code work/<instance>},
   * the shared back end under {@code work/backend}.
   */
  static Stowage.Builder builder(Path work, String instance, DeviceMode devices) {
    return Stowage.builder()
        .discoverProviders(false)
        .provider(new FakeDriverProvider())
        .setting("stowage.storageDrivers", "fake")
        .setting("stowage.volume.mount.root", work.resolve(instance).resolve("volumes"))
        .setting("stowage.state.directory", work.resolve(instance).resolve("state"))
        .setting("fake.root", work.resolve("backend"))
        .setting("fake.instanceId", instance)
        .setting("fake.devices", devices.name().toLowerCase(java.util.Locale.ROOT));
  }
}
