package io.stowage.tck;

import io.stowage.model.InstanceId;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract kit on the reference driver. Run on its own it passes; {@link KitSelfTest}
 * runs it again with the defect its configuration parameter {@value #DEFECT} names.
 */
class ReferenceDriverContractTest extends StorageDriverContractTest {
  /** The launcher configuration parameter that names the {@link Defect} to inject. */
  static final String DEFECT = "stowage.tck.defect";

  @TempDir
  Path dir;

  private Optional<String> defect = Optional.empty();

  @RegisterExtension
  final BeforeEachCallback defectOfThisRun =
      context -> defect = context.getConfigurationParameter(DEFECT);

  @Override
  protected StorageDriverProvider provider() {
    return new ReferenceDriverProvider();
  }

  @Override
  protected Map<String, ?> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("deviceDirectory", dir.resolve("devices"));
    defect.ifPresent(d -> settings.put("defect", d));
    return settings;
  }

  @Override
  protected HostOs host() {
    return new TableHost();
  }

  @Override
  protected Optional<InstanceId> otherInstance() {
    return Optional.of(InstanceId.of("tck-remote"));
  }

  @Override
  protected Optional<String> otherRegion() {
    return Optional.of(ReferenceDriver.AWAY);
  }

  @Override
  protected Duration deviceTimeout() {
    return Duration.ofSeconds(1);
  }
}
