package io.stowage.driver.ebs.modules;

import io.stowage.Hosts;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Run by {@code ModulePathTest} in a JVM whose module path holds the driver, the core and the
 * AWS SDK, from the class path (so in a package of its own): finds the provider through
 * ServiceLoader, binds its settings, opens the driver against the EC2 double and lists the
 * volumes.
 */
public final class ModulePathMain {
  private ModulePathMain() {}

  /**
   * Runs the check; prints the provider's module and the number of volumes.
   *
   * @param args the EC2 double's endpoint, an access key ID, its secret key, a state directory
   */
  public static void main(String[] args) {
    StorageDriverProvider provider = ServiceLoader.load(StorageDriverProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("ebs")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no ebs provider on the module path"));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("endpoint", args[0]);
    settings.put("accessKey", args[1]);
    settings.put("secretKey", args[2]);
    settings.put("region", "us-east-1");
    settings.put("instanceId", "i-0123456789abcdef0");
    settings.put("availabilityZone", "us-east-1a");
    try (StorageDriver driver = provider.create(DriverConfig.of("ebs", settings),
        Hosts.context(Path.of(args[3])))) {
      System.out.println("module " + provider.getClass().getModule().getName() + ", "
          + driver.list().size() + " volume(s)");
    }
  }
}
