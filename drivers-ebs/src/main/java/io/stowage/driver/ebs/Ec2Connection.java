package io.stowage.driver.ebs;

import io.stowage.exception.ConfigurationException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One EC2 client for one region: the JDK-based HTTP client with connect and call timeouts, the
 * SDK's adaptive retry strategy (client-side rate limiting once EC2 throttles), static or
 * default-chain credentials checked when it opens, and the translation of every SDK failure into
 * a Stowage exception through {@link #call}.
 *
 * <p>Thread-safe. Closing it closes the client and the credentials provider it made.
 */
final class Ec2Connection implements AutoCloseable {
  /** The shape of a region name: {@code us-east-1}, {@code us-gov-west-1}, {@code eu-central-2}. */
  static final Pattern REGION_SYNTAX = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

  private final Ec2Client client;
  private final AwsCredentialsProvider credentials;
  private final Ec2Errors errors;

  private Ec2Connection(Ec2Client client, AwsCredentialsProvider credentials, Ec2Errors errors) {
    this.client = client;
    this.credentials = credentials;
    this.errors = errors;
  }

  /**
   * Opens a client for a region. Nothing is sent to EC2; credentials from the default chain are
   * resolved once so that missing ones are reported here.
   *
   * @param config the configuration
   * @param region the region: the configured one, else the instance's
   * @return the connection
   * @throws ConfigurationException when the region is unknown (and no endpoint is configured)
   *     or no credentials are found
   */
  static Ec2Connection open(Ec2ClientConfig config, String region) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(region, "region");
    checkRegion(region, config);
    return open(config, region, credentials(config));
  }

  /**
   * Opens a client for a checked region with resolved credentials, which it then owns.
   *
   * @param config the configuration
   * @param region a region {@link #checkRegion} accepted
   * @param credentials credentials {@link #credentials} resolved
   * @return the connection
   */
  static Ec2Connection open(Ec2ClientConfig config, String region,
      ResolvedCredentials credentials) {
    try {
      Ec2ClientBuilder builder = Ec2Client.builder()
          .region(Region.of(region))
          .credentialsProvider(credentials.provider())
          .httpClientBuilder(UrlConnectionHttpClient.builder()
              .connectionTimeout(config.connectTimeout())
              .socketTimeout(config.callTimeout()))
          .overrideConfiguration(ClientOverrideConfiguration.builder()
              .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                  .maxAttempts(config.maxRetries() + 1)
                  .build())
              .apiCallAttemptTimeout(config.callTimeout())
              .build());
      config.endpoint().ifPresent(builder::endpointOverride);
      return new Ec2Connection(builder.build(), credentials.provider(),
          new Ec2Errors(endpoint(config, region), config.callTimeout(), config.maxRetries()));
    } catch (RuntimeException e) {
      credentials.close();
      throw e;
    }
  }

  /**
   * Returns the endpoint a configuration reaches in a region.
   *
   * @param config the configuration
   * @param region the region
   * @return the configured endpoint, else the region's public one
   */
  static String endpoint(Ec2ClientConfig config, String region) {
    return config.endpoint().map(URI::toString).orElse("https://ec2." + region + ".amazonaws.com");
  }

  /**
   * Sends one EC2 call and translates its failure.
   *
   * @param <T> the response type
   * @param action the EC2 action, for errors ({@code AttachVolume})
   * @param subject the volume, instance or name the call is about, for errors
   * @param call the call
   * @return the response
   * @throws io.stowage.exception.StowageException the translated failure
   */
  <T> T call(String action, String subject, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw errors.translate(action, subject, e);
    }
  }

  /**
   * Returns the SDK client, for calls made through {@link #call}.
   *
   * @return the client
   */
  Ec2Client client() {
    return client;
  }

  /**
   * Returns the error translator.
   *
   * @return the translator
   */
  Ec2Errors errors() {
    return errors;
  }

  @Override
  public void close() {
    client.close();
    closeQuietly(credentials);
  }

  /**
   * Checks a region: its form, and that the SDK knows it unless an endpoint is configured.
   *
   * @param region the region
   * @param config the configuration
   * @throws ConfigurationException naming the region and what to do
   */
  static void checkRegion(String region, Ec2ClientConfig config) {
    if (!REGION_SYNTAX.matcher(region).matches()) {
      throw new ConfigurationException(Ec2ClientConfig.SOURCE, List.of("region \"" + region
          + "\" is not a region name such as us-east-1"));
    }
    boolean known = Region.regions().stream().anyMatch(r -> r.id().equals(region));
    if (!known && config.endpoint().isEmpty()) {
      throw new ConfigurationException(Ec2ClientConfig.SOURCE, List.of("region \"" + region
          + "\" is not an AWS region this SDK knows (known: " + knownRegions()
          + "); correct it, or set the endpoint for a region newer than the SDK"));
    }
  }

  private static String knownRegions() {
    return String.join(", ", Region.regions().stream()
        .filter(r -> !r.isGlobalRegion())
        .map(Region::id)
        .sorted()
        .toList());
  }

  /**
   * Resolves the credentials once: the configured keys, else the first provider of the AWS
   * default credential chain that has some.
   *
   * @param config the configuration
   * @return the credentials' provider and where they came from, never their value
   * @throws ConfigurationException when the chain finds none
   */
  static ResolvedCredentials credentials(Ec2ClientConfig config) {
    if (config.accessKey().isPresent() && config.secretKey().isPresent()) {
      return new ResolvedCredentials(StaticCredentialsProvider.create(
          AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().get())),
          "the static keys of the ebs settings (accessKey, secretKey)");
    }
    DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
    try {
      AwsCredentials found = chain.resolveCredentials();
      return new ResolvedCredentials(chain, "the AWS default credential chain: "
          + CredentialSources.describe(found.providerName()));
    } catch (SdkClientException e) {
      chain.close();
      throw new ConfigurationException(Ec2ClientConfig.SOURCE, List.of("no AWS credentials"
          + " found: set accessKey and secretKey, or provide credentials through the"
          + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables, a profile in"
          + " ~/.aws/credentials, or the instance's IAM role"));
    }
  }

  /**
   * Credentials resolved once, and where they came from.
   *
   * @param provider the provider that found them
   * @param source where they came from, such as {@code the AWS default credential chain: the
   *     environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY}; never their value
   */
  record ResolvedCredentials(AwsCredentialsProvider provider, String source)
      implements AutoCloseable {
    /** Closes the provider, if it holds resources (the default chain does). */
    @Override
    public void close() {
      closeQuietly(provider);
    }
  }

  private static void closeQuietly(AwsCredentialsProvider provider) {
    if (provider instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }
}
