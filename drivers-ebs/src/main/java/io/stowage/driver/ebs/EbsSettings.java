package io.stowage.driver.ebs;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.StowageException;
import io.stowage.spi.Default;
import io.stowage.spi.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of the EBS driver, bound from the {@code ebs:} section, or from REX-Ray's
 * {@code ec2:} and {@code aws:} sections (in that order of precedence). Keys are the component
 * names, matched case-insensitively ({@code kmsKeyID} is {@code kmsKeyId}). The secret key and
 * the access key ID are never shown.
 *
 * @param accessKey the access key ID; with {@code secretKey}, static credentials. Default: the
 *     AWS SDK's default credential chain (environment, system properties, web identity, profile
 *     files, container and instance role)
 * @param secretKey the secret access key, set exactly when {@code accessKey} is
 * @param region the region. Default: the instance's, from its identity document
 * @param endpoint the EC2 endpoint, such as a VPC endpoint or a test double. Default: the
 *     region's public endpoint {@code https://ec2.<region>.amazonaws.com}
 * @param maxRetries how often a failed call (throttling, 5xx, timeout) is retried, 0 to 50,
 *     with the SDK's adaptive retry mode. Default 10, as libStorage's
 * @param connectTimeout the bound on opening a connection to EC2. Default 5 s
 * @param callTimeout the bound on one attempt of an EC2 call. Default 30 s
 * @param metadataEndpoint the instance metadata service (IMDSv2). Default
 *     {@code http://169.254.169.254}; it is asked only when {@code instanceId},
 *     {@code availabilityZone} or {@code region} is not set, or when this is set
 * @param instanceId the local instance, in place of the metadata service's answer (off EC2,
 *     tests)
 * @param availabilityZone the local instance's zone, in place of the metadata service's answer
 * @param tag the namespace: set as the tag {@code rexraySet=<tag>} on every volume created and
 *     required of every volume looked up. Default: none, every volume of the region
 * @param rexrayTag REX-Ray 0.3's spelling of {@code tag} ({@code aws.rexrayTag}); both may be
 *     set only to the same value
 * @param kmsKeyId the KMS key of encrypted volumes created without {@code encryptionkey}.
 *     Default: the account's default EBS key
 * @param statusTimeout the deadline of every wait on EC2 (create, attach, detach). Default 2 m
 * @param statusInitialDelay the delay before a wait's first poll, and the least time between
 *     poll rounds; later polls of one wait back off up to four times this. Default 1 s
 * @param statusMaxAttempts libStorage's poll count; accepted and ignored with a warning:
 *     {@code statusTimeout} bounds every wait
 * @param useLargeDeviceRange libStorage's switch to {@code /dev/xvd[b-c][a-z]}; accepted: the
 *     driver always uses the large range {@code /dev/xvd[b-z][a-z]} in random order, and
 *     {@code false} is ignored with a warning
 * @param nvmeBinPath libStorage's path of the {@code nvme} command; accepted and ignored with a
 *     warning: NVMe volumes are found through sysfs, without the command
 */
public record EbsSettings(
    @Secret Optional<String> accessKey,
    @Secret Optional<String> secretKey,
    Optional<String> region,
    Optional<URI> endpoint,
    @Default("10") int maxRetries,
    @Default("5s") Duration connectTimeout,
    @Default("30s") Duration callTimeout,
    Optional<URI> metadataEndpoint,
    Optional<String> instanceId,
    Optional<String> availabilityZone,
    Optional<String> tag,
    Optional<String> rexrayTag,
    Optional<String> kmsKeyId,
    @Default("2m") Duration statusTimeout,
    @Default("1s") Duration statusInitialDelay,
    Optional<Integer> statusMaxAttempts,
    Optional<Boolean> useLargeDeviceRange,
    Optional<Path> nvmeBinPath) {

  /** Where configuration errors of the section say they come from. */
  static final String SOURCE = "ebs section";

  private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
  private static final Pattern ZONE = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}[a-z]");

  /**
   * Validates the settings, reporting every problem at once.
   *
   * @param accessKey the access key ID; with {@code secretKey}, static credentials. Default: the
   *     AWS SDK's default credential chain (environment, system properties, web identity, profile
   *     files, container and instance role)
   * @param secretKey the secret access key, set exactly when {@code accessKey} is
   * @param region the region. Default: the instance's, from its identity document
   * @param endpoint the EC2 endpoint, such as a VPC endpoint or a test double. Default: the
   *     region's public endpoint {@code https://ec2.<region>.amazonaws.com}
   * @param maxRetries how often a failed call (throttling, 5xx, timeout) is retried, 0 to 50,
   *     with the SDK's adaptive retry mode. Default 10, as libStorage's
   * @param connectTimeout the bound on opening a connection to EC2. Default 5 s
   * @param callTimeout the bound on one attempt of an EC2 call. Default 30 s
   * @param metadataEndpoint the instance metadata service (IMDSv2). Default
   *     {@code http://169.254.169.254}; it is asked only when {@code instanceId},
   *     {@code availabilityZone} or {@code region} is not set, or when this is set
   * @param instanceId the local instance, in place of the metadata service's answer (off EC2,
   *     tests)
   * @param availabilityZone the local instance's zone, in place of the metadata service's answer
   * @param tag the namespace: set as the tag {@code rexraySet=<tag>} on every volume created and
   *     required of every volume looked up. Default: none, every volume of the region
   * @param rexrayTag REX-Ray 0.3's spelling of {@code tag} ({@code aws.rexrayTag}); both may be
   *     set only to the same value
   * @param kmsKeyId the KMS key of encrypted volumes created without {@code encryptionkey}.
   *     Default: the account's default EBS key
   * @param statusTimeout the deadline of every wait on EC2 (create, attach, detach). Default 2 m
   * @param statusInitialDelay the delay before a wait's first poll, and the least time between
   *     poll rounds; later polls of one wait back off up to four times this. Default 1 s
   * @param statusMaxAttempts libStorage's poll count; accepted and ignored with a warning:
   *     {@code statusTimeout} bounds every wait
   * @param useLargeDeviceRange libStorage's switch to {@code /dev/xvd[b-c][a-z]}; accepted: the
   *     driver always uses the large range {@code /dev/xvd[b-z][a-z]} in random order, and
   *     {@code false} is ignored with a warning
   * @param nvmeBinPath libStorage's path of the {@code nvme} command; accepted and ignored with a
   *     warning: NVMe volumes are found through sysfs, without the command
   * @throws ConfigurationException naming each problem and what to fix; never a secret
   */
  public EbsSettings {
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(metadataEndpoint, "metadataEndpoint");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(rexrayTag, "rexrayTag");
    Objects.requireNonNull(kmsKeyId, "kmsKeyId");
    Objects.requireNonNull(statusTimeout, "statusTimeout");
    Objects.requireNonNull(statusInitialDelay, "statusInitialDelay");
    Objects.requireNonNull(statusMaxAttempts, "statusMaxAttempts");
    Objects.requireNonNull(useLargeDeviceRange, "useLargeDeviceRange");
    Objects.requireNonNull(nvmeBinPath, "nvmeBinPath");
    List<String> problems = new ArrayList<>();
    if (tag.isPresent() && rexrayTag.isPresent() && !tag.equals(rexrayTag)) {
      problems.add("tag \"" + tag.get() + "\" and rexrayTag \"" + rexrayTag.get() + "\" name"
          + " two namespaces; rexrayTag is REX-Ray 0.3's spelling of tag: keep one of them");
    }
    instanceId.ifPresent(id -> {
      if (!INSTANCE_ID.matcher(id).matches()) {
        problems.add("instanceId \"" + id + "\" is not an EC2 instance ID such as"
            + " i-0123456789abcdef0");
      }
    });
    availabilityZone.ifPresent(zone -> {
      if (!ZONE.matcher(zone).matches()) {
        problems.add("availabilityZone \"" + zone + "\" is not a zone name such as us-east-1a");
      } else if (region.isPresent() && !zone.startsWith(region.get())) {
        problems.add("availabilityZone \"" + zone + "\" is not in region \"" + region.get()
            + "\"; the zone is the region's name and a letter");
      }
    });
    metadataEndpoint.ifPresent(uri -> {
      if (!"http".equalsIgnoreCase(uri.getScheme())) {
        problems.add("metadataEndpoint \"" + uri + "\" must be an http URL such as"
            + " http://169.254.169.254");
      }
    });
    boolean delayValid = !statusInitialDelay.isNegative() && !statusInitialDelay.isZero();
    if (!delayValid) {
      problems.add("statusInitialDelay " + statusInitialDelay + " must be positive");
    }
    statusMaxAttempts.ifPresent(n -> {
      if (n < 1) {
        problems.add("statusMaxAttempts " + n + " must be at least 1");
      }
    });
    collect(problems, () -> new Ec2ClientConfig(region, endpoint, accessKey, secretKey,
        maxRetries, connectTimeout, callTimeout));
    PollSchedule poll = PollSchedule.startingAt(delayValid ? statusInitialDelay
        : PollSchedule.DEFAULT.firstPoll());
    collect(problems, () -> new EbsBackendOptions(tag.or(() -> rexrayTag), kmsKeyId,
        statusTimeout, poll));
    if (!problems.isEmpty()) {
      throw new ConfigurationException(SOURCE, problems);
    }
  }

  /**
   * Returns how to reach EC2.
   *
   * @return the client configuration
   */
  Ec2ClientConfig clientConfig() {
    return new Ec2ClientConfig(region, endpoint, accessKey, secretKey, maxRetries,
        connectTimeout, callTimeout);
  }

  /**
   * Returns what the back end does beyond reaching EC2.
   *
   * @return the namespace, key, timeout and poll schedule
   */
  EbsBackendOptions backendOptions() {
    return new EbsBackendOptions(tag.or(() -> rexrayTag), kmsKeyId, statusTimeout,
        PollSchedule.startingAt(statusInitialDelay));
  }

  /**
   * Returns whether the instance metadata service is asked: when the local instance's ID, zone
   * or region is not configured, or its endpoint is.
   *
   * @return true when the driver reads IMDS
   */
  boolean usesMetadata() {
    return instanceId.isEmpty() || availabilityZone.isEmpty() || region.isEmpty()
        || metadataEndpoint.isPresent();
  }

  /**
   * Returns the warnings for settings that are accepted but change nothing, one per setting.
   *
   * @return the warnings, empty when there are none
   */
  List<String> ignored() {
    List<String> warnings = new ArrayList<>();
    statusMaxAttempts.ifPresent(n -> warnings.add("ebs.statusMaxAttempts is ignored:"
        + " statusTimeout (" + statusTimeout + ") bounds every wait"));
    useLargeDeviceRange.filter(large -> !large).ifPresent(large -> warnings.add(
        "ebs.useLargeDeviceRange=false is ignored: devices are always named from the large"
            + " range /dev/xvd[b-z][a-z], in random order"));
    nvmeBinPath.ifPresent(p -> warnings.add("ebs.nvmeBinPath is ignored: NVMe volumes are"
        + " found through sysfs, without the nvme command"));
    return warnings;
  }

  @Override
  public String toString() {
    return "EbsSettings[credentials=" + (accessKey.isPresent() ? "static (****)"
        : "default chain") + ", region=" + region.orElse("(instance)")
        + ", endpoint=" + endpoint.map(URI::toString).orElse("(regional)")
        + ", maxRetries=" + maxRetries + ", connectTimeout=" + connectTimeout
        + ", callTimeout=" + callTimeout
        + ", metadataEndpoint=" + metadataEndpoint.map(URI::toString).orElse("(default)")
        + ", instanceId=" + instanceId.orElse("(instance)")
        + ", availabilityZone=" + availabilityZone.orElse("(instance)")
        + ", tag=" + tag.or(() -> rexrayTag).orElse("(none)")
        + ", kmsKeyId=" + kmsKeyId.map(k -> "****").orElse("(account default)")
        + ", statusTimeout=" + statusTimeout + ", statusInitialDelay=" + statusInitialDelay
        + "]";
  }

  private static void collect(List<String> problems, Runnable check) {
    try {
      check.run();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    } catch (StowageException e) {
      problems.add(e.getMessage());
    }
  }
}
