package io.stowage.driver.ebs;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.useragent.BusinessMetricFeatureId;

/**
 * Names, in words, the provider of the AWS default credential chain that found credentials.
 * The SDK's credentials carry the provider as the short codes it reports in its user agent
 * ({@code f} for the JVM system properties, {@code n,i} for a profile that assumes a role);
 * this turns each code into what a person configures. Stateless.
 */
final class CredentialSources {
  private static final Map<BusinessMetricFeatureId, String> WORDS = words();

  private CredentialSources() {}

  /**
   * Describes where credentials came from.
   *
   * @param providerName the credentials' provider name, if the SDK gave one
   * @return such as {@code the environment variables AWS_ACCESS_KEY_ID and
   *     AWS_SECRET_ACCESS_KEY}; never a credential
   */
  static String describe(Optional<String> providerName) {
    if (providerName.isEmpty() || providerName.get().isBlank()) {
      return "a provider that does not name itself";
    }
    List<String> parts = new ArrayList<>();
    for (String code : providerName.get().split(",")) {
      String trimmed = code.strip();
      parts.add(WORDS.entrySet().stream()
          .filter(e -> e.getKey().value().equals(trimmed))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse("provider " + trimmed));
    }
    return String.join(", then ", parts);
  }

  private static Map<BusinessMetricFeatureId, String> words() {
    Map<BusinessMetricFeatureId, String> words = new EnumMap<>(BusinessMetricFeatureId.class);
    words.put(BusinessMetricFeatureId.CREDENTIALS_JVM_SYSTEM_PROPERTIES,
        "the Java system properties aws.accessKeyId and aws.secretAccessKey");
    words.put(BusinessMetricFeatureId.CREDENTIALS_ENV_VARS,
        "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    words.put(BusinessMetricFeatureId.CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN,
        "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)");
    words.put(BusinessMetricFeatureId.CREDENTIALS_STS_ASSUME_ROLE, "an assumed role (STS)");
    words.put(BusinessMetricFeatureId.CREDENTIALS_STS_ASSUME_ROLE_WEB_ID,
        "a role assumed with a web identity (STS)");
    words.put(BusinessMetricFeatureId.CREDENTIALS_PROFILE,
        "a profile of ~/.aws/credentials or ~/.aws/config (AWS_PROFILE)");
    words.put(BusinessMetricFeatureId.CREDENTIALS_PROFILE_SOURCE_PROFILE,
        "a profile's source_profile");
    words.put(BusinessMetricFeatureId.CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN,
        "a profile's web identity token");
    words.put(BusinessMetricFeatureId.CREDENTIALS_PROFILE_SSO, "a profile's IAM Identity Center"
        + " (SSO) session");
    words.put(BusinessMetricFeatureId.CREDENTIALS_SSO, "IAM Identity Center (SSO)");
    words.put(BusinessMetricFeatureId.CREDENTIALS_PROFILE_PROCESS,
        "a profile's credential_process");
    words.put(BusinessMetricFeatureId.CREDENTIALS_PROCESS, "a credential_process");
    words.put(BusinessMetricFeatureId.CREDENTIALS_HTTP,
        "the container credentials endpoint (ECS task role, EKS Pod Identity)");
    words.put(BusinessMetricFeatureId.CREDENTIALS_IMDS,
        "the instance's IAM role (instance metadata service)");
    return words;
  }
}
