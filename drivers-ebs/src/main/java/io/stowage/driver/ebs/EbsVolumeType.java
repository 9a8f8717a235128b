package io.stowage.driver.ebs;

import io.stowage.exception.InvalidArgumentException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The EBS volume types and their documented limits: size in GiB, provisioned IOPS (range and
 * IOPS per GiB) and throughput (MiB/s) where the type takes them.
 */
enum EbsVolumeType {
  /** General purpose SSD, IOPS by size. */
  GP2("gp2", 1, 16_384, null, null),
  /** General purpose SSD, IOPS and throughput provisioned separately. */
  GP3("gp3", 1, 16_384, new IopsLimits(3_000, 16_000, 500, false),
      new ThroughputLimits(125, 1_000)),
  /** Provisioned IOPS SSD. */
  IO1("io1", 4, 16_384, new IopsLimits(100, 64_000, 50, true), null),
  /** Provisioned IOPS SSD (Block Express). */
  IO2("io2", 4, 65_536, new IopsLimits(100, 256_000, 1_000, true), null),
  /** Throughput-optimised HDD. */
  ST1("st1", 125, 16_384, null, null),
  /** Cold HDD. */
  SC1("sc1", 125, 16_384, null, null),
  /** Previous-generation magnetic. */
  STANDARD("standard", 1, 1_024, null, null);

  /**
   * Provisioned IOPS limits.
   *
   * @param min the least IOPS
   * @param max the most IOPS
   * @param perGiB the most IOPS per GiB of size (above {@code min})
   * @param required whether IOPS must be given
   */
  record IopsLimits(int min, int max, int perGiB, boolean required) {}

  /**
   * Throughput limits in MiB/s.
   *
   * @param min the least throughput
   * @param max the most throughput
   */
  record ThroughputLimits(int min, int max) {}

  private final String apiName;
  private final int minGiB;
  private final int maxGiB;
  private final IopsLimits iops;
  private final ThroughputLimits throughput;

  EbsVolumeType(String apiName, int minGiB, int maxGiB, IopsLimits iops,
      ThroughputLimits throughput) {
    this.apiName = apiName;
    this.minGiB = minGiB;
    this.maxGiB = maxGiB;
    this.iops = iops;
    this.throughput = throughput;
  }

  /**
   * Parses a type name, case-insensitively.
   *
   * @param name the name, such as {@code gp3}
   * @return the type
   * @throws InvalidArgumentException naming the known types
   */
  static EbsVolumeType parse(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.apiName.equals(lower)).findFirst()
        .orElseThrow(() -> new InvalidArgumentException("volumetype", name,
            "is not an EBS volume type; known types: " + Arrays.stream(values())
                .map(EbsVolumeType::apiName).collect(Collectors.joining(", "))));
  }

  /**
   * Returns the name EC2 uses.
   *
   * @return the name, such as {@code io2}
   */
  String apiName() {
    return apiName;
  }

  /**
   * Returns the smallest size.
   *
   * @return the size in GiB
   */
  int minGiB() {
    return minGiB;
  }

  /**
   * Returns the largest size.
   *
   * @return the size in GiB
   */
  int maxGiB() {
    return maxGiB;
  }

  /**
   * Returns the provisioned IOPS limits.
   *
   * @return the limits, if the type takes provisioned IOPS
   */
  Optional<IopsLimits> iops() {
    return Optional.ofNullable(iops);
  }

  /**
   * Returns the throughput limits.
   *
   * @return the limits, if the type takes a provisioned throughput
   */
  Optional<ThroughputLimits> throughput() {
    return Optional.ofNullable(throughput);
  }
}
