package io.stowage.driver.ebs;

import io.stowage.exception.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the EBS back end does beyond reaching EC2.
 *
 * @param namespace the namespace tag value ({@code rexraySet=<namespace>}): set on every volume
 *     created and required of every volume looked up; empty for every volume in the region
 * @param kmsKeyId the KMS key for encrypted volumes created without {@code encryptionkey}
 * @param statusTimeout the deadline of every wait on a volume's state
 * @param poll when waits poll EC2
 */
record EbsBackendOptions(Optional<String> namespace, Optional<String> kmsKeyId,
    Duration statusTimeout, PollSchedule poll) {

  /** libStorage's {@code ebs.statusTimeout} default. */
  static final Duration DEFAULT_STATUS_TIMEOUT = Duration.ofMinutes(2);
  /** No namespace, the account's default key, 2 minutes, {@link PollSchedule#DEFAULT}. */
  static final EbsBackendOptions DEFAULT = new EbsBackendOptions(Optional.empty(),
      Optional.empty(), DEFAULT_STATUS_TIMEOUT, PollSchedule.DEFAULT);

  // EC2 tag values: up to 256 Unicode characters; kept to printable ones here.
  private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{N} +\\-=._:/@]{1,256}");

  /**
   * Validates the options.
   *
   * @throws ConfigurationException naming every problem
   */
  EbsBackendOptions {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(kmsKeyId, "kmsKeyId");
    Objects.requireNonNull(statusTimeout, "statusTimeout");
    Objects.requireNonNull(poll, "poll");
    List<String> problems = new ArrayList<>();
    namespace.ifPresent(n -> {
      if (!TAG_VALUE.matcher(n).matches()) {
        problems.add("tag \"" + n + "\" must be 1 to 256 letters, digits, spaces and"
            + " + - = . _ : / @");
      }
    });
    if (statusTimeout.isNegative() || statusTimeout.isZero()) {
      problems.add("statusTimeout " + statusTimeout + " must be positive");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(Ec2ClientConfig.SOURCE, problems);
    }
  }

  @Override
  public String toString() {
    return "EbsBackendOptions[namespace=" + namespace.orElse("(none)") + ", kmsKeyId="
        + kmsKeyId.map(k -> "****").orElse("(account default)") + ", statusTimeout="
        + statusTimeout + ", poll=" + poll + "]";
  }
}
