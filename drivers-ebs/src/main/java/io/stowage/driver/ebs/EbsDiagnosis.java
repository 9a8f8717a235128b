package io.stowage.driver.ebs;

import io.stowage.exception.StowageException;
import io.stowage.spi.Diagnosis;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The EBS driver's self-check for {@code stowage doctor}, in the order a driver opens:
 * settings, credentials, instance identity, region, and one authorized EC2 call. Credentials
 * are reported by where they came from, never by value. A failed identity or region ends the
 * list; without credentials the EC2 call is not tried. Nothing is created or changed.
 */
final class EbsDiagnosis {
  private final EbsSettings settings;

  /**
   * Creates the check.
   *
   * @param settings the bound settings
   */
  EbsDiagnosis(EbsSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Runs the steps.
   *
   * @return the steps, in order
   */
  List<Diagnosis> run() {
    List<Diagnosis> steps = new ArrayList<>();
    List<String> ignored = settings.ignored();
    steps.add(Diagnosis.passed("settings", ignored.isEmpty() ? "valid"
        : "valid; " + String.join("; ", ignored)));
    Ec2ClientConfig config = settings.clientConfig();
    Optional<Ec2Connection.ResolvedCredentials> credentials = credentials(steps, config);
    Optional<InstanceIdentity> identity = identity(steps);
    boolean reachable = identity.isPresent() && region(steps, identity.get(), config);
    if (credentials.isPresent()) {
      if (reachable) {
        steps.add(ec2Call(config, identity.get(), credentials.get()));
      } else {
        credentials.get().close();
      }
    }
    return steps;
  }

  private static Optional<Ec2Connection.ResolvedCredentials> credentials(List<Diagnosis> steps,
      Ec2ClientConfig config) {
    try {
      Ec2Connection.ResolvedCredentials found = Ec2Connection.credentials(config);
      steps.add(Diagnosis.passed("credentials", "found: " + found.source()));
      return Optional.of(found);
    } catch (StowageException e) {
      steps.add(Diagnosis.failed("credentials", e.getMessage()));
      return Optional.empty();
    }
  }

  private Optional<InstanceIdentity> identity(List<Diagnosis> steps) {
    Optional<InstanceMetadata> metadata = EbsDriverProvider.openMetadata(settings);
    try {
      InstanceIdentity identity = InstanceIdentity.resolve(settings.instanceId(),
          settings.availabilityZone(), settings.region(), metadata::orElseThrow);
      boolean configured = settings.instanceId().isPresent()
          && settings.availabilityZone().isPresent() && settings.region().isPresent();
      String source = configured ? "the settings (instanceId, availabilityZone, region)"
          : "IMDSv2 at " + settings.metadataEndpoint().orElse(InstanceMetadata.DEFAULT_ENDPOINT);
      steps.add(Diagnosis.passed("instance identity", "instance "
          + identity.instanceId() + " in " + identity.availabilityZone() + ", from " + source));
      return Optional.of(identity);
    } catch (StowageException e) {
      steps.add(Diagnosis.failed("instance identity", e.getMessage()));
      return Optional.empty();
    } finally {
      metadata.ifPresent(InstanceMetadata::close);
    }
  }

  private boolean region(List<Diagnosis> steps, InstanceIdentity identity,
      Ec2ClientConfig config) {
    String region = identity.region();
    try {
      Ec2Connection.checkRegion(region, config);
    } catch (StowageException e) {
      steps.add(Diagnosis.failed("region", e.getMessage()));
      return false;
    }
    steps.add(Diagnosis.passed("region", region + (settings.region().isPresent()
        ? " (configured)" : " (the instance's)") + ", EC2 endpoint "
        + Ec2Connection.endpoint(config, region)));
    return true;
  }

  /** One call; the connection takes over the credentials and closes them. */
  private static Diagnosis ec2Call(Ec2ClientConfig config, InstanceIdentity identity,
      Ec2Connection.ResolvedCredentials credentials) {
    String instance = identity.instanceId().value();
    try (Ec2Connection ec2 = Ec2Connection.open(config, identity.region(), credentials)) {
      DescribeVolumesResponse response = ec2.call("DescribeVolumes", instance,
          () -> ec2.client().describeVolumes(b -> b.filters(Filter.builder()
              .name("attachment.instance-id").values(instance).build())));
      return Diagnosis.passed("ec2", "DescribeVolumes answered (request id "
          + response.responseMetadata().requestId() + "): " + response.volumes().size()
          + " volume(s) attached to " + instance);
    } catch (StowageException e) {
      return Diagnosis.failed("ec2", e.getMessage());
    }
  }
}
