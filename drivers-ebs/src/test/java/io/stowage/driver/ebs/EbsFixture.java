package io.stowage.driver.ebs;

import io.stowage.Stowage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An EC2 double and an IMDS double for one region with two instances in one zone, and back ends
 * wired to them through the real SDK clients. As a field registered with
 * {@code @RegisterExtension} it serves one test and closes after it.
 */
final class EbsFixture implements AutoCloseable, AfterEachCallback {
  static final String REGION = "us-east-1";
  /** Another region of the account, for copies of snapshots. */
  static final String OTHER_REGION = "us-west-2";
  static final String ZONE = "us-east-1a";
  static final String OTHER_ZONE = "us-east-1b";
  static final String INSTANCE = "i-0123456789abcdef0";
  static final String OTHER_INSTANCE = "i-0fedcba9876543210";
  static final String ACCESS_KEY = "AKIDSTOWAGETEST00001";
  static final String SECRET_KEY = "stowage/Test+Secret/0123456789abcdefghij";
  /** Polls after 100 ms, then every 100 to 400 ms. */
  static final PollSchedule FAST = new PollSchedule(Duration.ofMillis(100),
      Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(50));

  final Ec2Double ec2;
  final ImdsDouble imds;
  private final List<LocalDisks> trees = new ArrayList<>();

  EbsFixture() {
    this(Map.of("ami", "/dev/xvda", "root", "/dev/xvda", "ephemeral0", "sdb"));
  }

  EbsFixture(Map<String, String> imdsBlockDevices) {
    try {
      ec2 = new Ec2Double(REGION, ACCESS_KEY)
          .region(OTHER_REGION)
          .instance(INSTANCE, ZONE, "/dev/xvda", "/dev/sdb")
          .instance(OTHER_INSTANCE, ZONE, "/dev/xvda")
          .zone(OTHER_ZONE);
      imds = new ImdsDouble(INSTANCE, REGION, ZONE, imdsBlockDevices);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Static credentials, the double's endpoint, 3 retries, 2 s connect, 5 s per attempt. */
  Ec2ClientConfig config() {
    return Ec2ClientConfig.defaults(Optional.of(REGION), Optional.of(ec2.endpoint()))
        .withCredentials(ACCESS_KEY, SECRET_KEY)
        .withLimits(3, Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  /**
   * The driver settings that reach the doubles: static keys, the EC2 double's endpoint, the
   * identity (and region) from the IMDS double, 3 retries, polls from 100 ms.
   */
  Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("accessKey", ACCESS_KEY);
    settings.put("secretKey", SECRET_KEY);
    settings.put("endpoint", ec2.endpoint());
    settings.put("metadataEndpoint", imds.endpoint());
    settings.put("maxRetries", 3);
    settings.put("connectTimeout", "2s");
    settings.put("callTimeout", "5s");
    settings.put("statusInitialDelay", "100ms");
    settings.put("statusTimeout", "10s");
    return settings;
  }

  /**
   * A Stowage with only the EBS driver, its mount root and state under a work directory, its
   * devices in a {@link LocalDisks} tree, and no EBS settings.
   */
  static Stowage.Builder bare(Path work, LocalDisks disks) {
    return Stowage.builder()
        .discoverProviders(false)
        .provider(new EbsDriverProvider(disks.sysRoot(), disks.devRoot()))
        .setting("stowage.storageDrivers", EbsDriverProvider.NAME)
        .setting("stowage.volume.mount.root", work.resolve("volumes"))
        .setting("stowage.state.directory", work.resolve("state"))
        .setting("stowage.device.attachTimeout", "10s");
  }

  /** {@link #bare} with {@link #settings()} as {@code ebs.*} settings. */
  Stowage.Builder stowage(Path work, LocalDisks disks) {
    Stowage.Builder builder = bare(work, disks);
    settings().forEach((key, value) -> builder.setting("ebs." + key, value));
    return builder;
  }

  static EbsBackendOptions options(PollSchedule poll) {
    return new EbsBackendOptions(Optional.empty(), Optional.empty(), Duration.ofSeconds(10),
        poll);
  }

  EbsBackend backend() {
    return backend(options(FAST), new Random(42));
  }

  /** A back end whose identity comes from the IMDS double (region configured). */
  EbsBackend backend(EbsBackendOptions options, Random random) {
    InstanceMetadata metadata = new InstanceMetadata(imds.endpoint(), Duration.ofSeconds(2));
    InstanceIdentity identity = InstanceIdentity.resolve(Optional.empty(), Optional.empty(),
        Optional.of(REGION), () -> metadata);
    Ec2Connection connection = Ec2Connection.open(config(), identity.region());
    return new EbsBackend(connection, identity, Optional.of(metadata), name -> false, options,
        random, region -> Ec2Connection.open(config(), region));
  }

  /**
   * The local instance's devices in a tree under a root, which the EC2 double drives from now
   * on; released when the fixture closes.
   */
  LocalDisks disks(Path root, LocalDisks.Style style, boolean loopBacked) {
    LocalDisks disks = new LocalDisks(root, INSTANCE, style, loopBacked);
    ec2.onAttachments(disks).onData(disks);
    trees.add(disks);
    return disks;
  }

  @Override
  public void close() {
    try {
      trees.forEach(LocalDisks::close);
    } finally {
      ec2.close();
      imds.close();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** A random source that always takes the first choice, so device names are predictable. */
  static final class FirstChoice extends Random {
    private static final long serialVersionUID = 1L;

    @Override
    public int nextInt(int bound) {
      return 0;
    }
  }
}
