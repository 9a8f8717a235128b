package io.stowage.driver.ebs;

import io.stowage.exception.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach EC2: region, endpoint, credentials, retries and timeouts. The secret key never
 * appears in {@link #toString()} or in an error.
 *
 * @param region the region; empty to take the instance's own
 * @param endpoint the EC2 endpoint (an {@code http} or {@code https} URI); empty for the
 *     region's public endpoint
 * @param accessKey the access key ID; empty for the SDK's default credential chain
 * @param secretKey the secret access key, set exactly when {@code accessKey} is
 * @param maxRetries how often a failed call is retried (throttling, 5xx, timeouts), 0 to 50
 * @param connectTimeout the bound on opening a connection
 * @param callTimeout the bound on one attempt of a call, from sending to the last byte read
 */
record Ec2ClientConfig(
    Optional<String> region,
    Optional<URI> endpoint,
    Optional<String> accessKey,
    Optional<String> secretKey,
    int maxRetries,
    Duration connectTimeout,
    Duration callTimeout) {

  /** libStorage's {@code ebs.maxRetries} default. */
  static final int DEFAULT_MAX_RETRIES = 10;
  /** The default bound on opening a connection. */
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The default bound on one attempt of a call. */
  static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Where configuration errors say they come from. */
  static final String SOURCE = "the ebs driver settings";

  /**
   * Validates the configuration, reporting every problem at once.
   *
   * @throws ConfigurationException naming each problem
   */
  Ec2ClientConfig {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    List<String> problems = new ArrayList<>();
    region.ifPresent(r -> {
      if (!Ec2Connection.REGION_SYNTAX.matcher(r).matches()) {
        problems.add("region \"" + r + "\" is not a region name such as us-east-1");
      }
    });
    endpoint.ifPresent(e -> {
      String scheme = e.getScheme() == null ? "" : e.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || e.getHost() == null) {
        problems.add("endpoint \"" + e + "\" must be an http or https URL with a host");
      }
    });
    if (accessKey.isPresent() != secretKey.isPresent()) {
      problems.add("accessKey and secretKey must be set together (or neither, to use the AWS"
          + " default credential chain)");
    }
    accessKey.ifPresent(k -> {
      if (k.isBlank() || k.chars().anyMatch(c -> c <= ' ')) {
        problems.add("accessKey must be an access key ID without white space");
      }
    });
    secretKey.ifPresent(k -> {
      if (k.isBlank()) {
        problems.add("secretKey must not be empty");
      }
    });
    if (maxRetries < 0 || maxRetries > 50) {
      problems.add("maxRetries " + maxRetries + " must be from 0 to 50");
    }
    requirePositive(problems, "connectTimeout", connectTimeout);
    requirePositive(problems, "callTimeout", callTimeout);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(SOURCE, problems);
    }
  }

  /**
   * A configuration with static credentials, or none, and the default retries and timeouts.
   *
   * @param region the region, if configured
   * @param endpoint the endpoint, if configured
   * @return the configuration
   */
  static Ec2ClientConfig defaults(Optional<String> region, Optional<URI> endpoint) {
    return new Ec2ClientConfig(region, endpoint, Optional.empty(), Optional.empty(),
        DEFAULT_MAX_RETRIES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Returns this configuration with static credentials.
   *
   * @param accessKey the access key ID
   * @param secretKey the secret access key
   * @return the new configuration
   */
  Ec2ClientConfig withCredentials(String accessKey, String secretKey) {
    return new Ec2ClientConfig(region, endpoint, Optional.of(accessKey), Optional.of(secretKey),
        maxRetries, connectTimeout, callTimeout);
  }

  /**
   * Returns this configuration with other retries and timeouts.
   *
   * @param maxRetries the retries
   * @param connectTimeout the connect timeout
   * @param callTimeout the per-attempt call timeout
   * @return the new configuration
   */
  Ec2ClientConfig withLimits(int maxRetries, Duration connectTimeout, Duration callTimeout) {
    return new Ec2ClientConfig(region, endpoint, accessKey, secretKey, maxRetries,
        connectTimeout, callTimeout);
  }

  @Override
  public String toString() {
    return "Ec2ClientConfig[region=" + region.orElse("(instance)")
        + ", endpoint=" + endpoint.map(URI::toString).orElse("(regional)")
        + ", accessKey=" + accessKey.orElse("(default chain)")
        + ", secretKey=" + secretKey.map(s -> "****").orElse("(default chain)")
        + ", maxRetries=" + maxRetries + ", connectTimeout=" + connectTimeout
        + ", callTimeout=" + callTimeout + "]";
  }

  private static void requirePositive(List<String> problems, String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      problems.add(name + " " + value + " must be positive");
    }
  }
}
