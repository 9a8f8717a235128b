package io.stowage.driver.fake;

import io.stowage.model.Attachment;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The fake driver under another name, so a test can configure two drivers at once. */
final class RenamedDriverProvider implements StorageDriverProvider {
  private final String name;
  private final FakeDriverProvider fake = new FakeDriverProvider();

  RenamedDriverProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Capability> capabilities() {
    return fake.capabilities();
  }

  @Override
  public Optional<Pattern> volumeIdPattern() {
    return fake.volumeIdPattern();
  }

  @Override
  public Class<? extends Record> settingsType() {
    return fake.settingsType();
  }

  @Override
  public Set<HostOs.Kind> hostKinds() {
    return fake.hostKinds();
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    StorageDriver driver = fake.create(config, context);
    return new StorageDriver() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<Capability> capabilities() {
        return driver.capabilities();
      }

      @Override
      public Instance localInstance() {
        return driver.localInstance();
      }

      @Override
      public List<Volume> list() {
        return driver.list();
      }

      @Override
      public Optional<Volume> find(VolumeId id) {
        return driver.find(id);
      }

      @Override
      public List<Volume> findByName(VolumeName volume) {
        return driver.findByName(volume);
      }

      @Override
      public Volume create(VolumeName volume, VolumeOptions options) {
        return driver.create(volume, options);
      }

      @Override
      public void remove(VolumeId id) {
        driver.remove(id);
      }

      @Override
      public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
        return driver.attach(id, instance, force);
      }

      @Override
      public void detach(VolumeId id, InstanceId instance, boolean force) {
        driver.detach(id, instance, force);
      }

      @Override
      public DeviceLocator deviceLocator() {
        return driver.deviceLocator();
      }

      @Override
      public void close() {
        driver.close();
      }
    };
  }
}
