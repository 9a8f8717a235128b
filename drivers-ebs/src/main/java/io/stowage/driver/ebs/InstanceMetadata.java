package io.stowage.driver.ebs;

import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.model.InstanceId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.imds.Ec2MetadataResponse;

/**
 * The instance metadata service (IMDSv2, session tokens) through the SDK's
 * {@link Ec2MetadataClient}: the instance identity and the block device names mapped at launch.
 * Thread-safe.
 */
final class InstanceMetadata implements AutoCloseable {
  /** Where IMDS answers on every EC2 instance. */
  static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");
  /** The bound on each metadata request; IMDS answers in milliseconds on EC2. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private static final String IDENTITY_DOCUMENT = "/latest/dynamic/instance-identity/document";
  private static final String BLOCK_DEVICE_MAPPING = "/latest/meta-data/block-device-mapping/";

  private final URI endpoint;
  private final Ec2MetadataClient client;

  /**
   * Creates a client; nothing is sent until a method is called.
   *
   * @param endpoint the IMDS endpoint, such as {@link #DEFAULT_ENDPOINT}
   * @param timeout the bound on connecting and on reading each answer
   */
  InstanceMetadata(URI endpoint, Duration timeout) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.client = Ec2MetadataClient.builder()
        .endpoint(endpoint)
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(timeout)
            .socketTimeout(timeout))
        .retryPolicy(p -> p.numRetries(2))
        .build();
  }

  /**
   * Reads the instance identity document: one token request and one GET.
   *
   * @return the identity
   * @throws ConfigurationException when the service cannot be read (off EC2 the instance ID,
   *     zone and region must be configured)
   */
  InstanceIdentity identity() {
    Map<String, Document> document = get(IDENTITY_DOCUMENT).asDocument().asMap();
    return new InstanceIdentity(InstanceId.of(field(document, "instanceId")),
        field(document, "region"), field(document, "availabilityZone"));
  }

  /**
   * Reads the device names of the block device mappings the instance was launched or last
   * started with (root, EBS, ephemeral), normalised to their {@code xvd} spelling without
   * {@code /dev/} and partition numbers.
   *
   * @return the names, such as {@code xvda} and {@code xvdb}
   * @throws BackendException when the service cannot be read
   */
  Set<String> blockDeviceNames() {
    Set<String> names = new TreeSet<>();
    try {
      List<String> keys = client.get(BLOCK_DEVICE_MAPPING).asList();
      for (String key : keys) {
        String name = key.strip();
        if (!name.isEmpty()) {
          String device = client.get(BLOCK_DEVICE_MAPPING + name).asString();
          names.add(DeviceNameAllocator.normalise(device));
        }
      }
    } catch (SdkException e) {
      throw new BackendException("cannot read " + BLOCK_DEVICE_MAPPING + " from the instance"
          + " metadata service at " + endpoint + ": " + e.getMessage(), true, null, e);
    }
    return names;
  }

  @Override
  public void close() {
    client.close();
  }

  private Ec2MetadataResponse get(String path) {
    try {
      return client.get(path);
    } catch (SdkException e) {
      throw new ConfigurationException(Ec2ClientConfig.SOURCE, List.of("cannot read " + path
          + " from the instance metadata service at " + endpoint + " (" + e.getMessage()
          + "); off EC2, configure instanceId, availabilityZone and region"));
    }
  }

  private String field(Map<String, Document> document, String name) {
    Document value = document.get(name);
    if (value == null || !value.isString() || value.asString().isBlank()) {
      throw new ConfigurationException(Ec2ClientConfig.SOURCE, List.of("the instance identity"
          + " document from " + endpoint + " has no " + name));
    }
    return value.asString();
  }
}
