/**
 * The AWS EBS driver. Its AWS SDK dependencies are automatic modules (their jars name
 * themselves with {@code Automatic-Module-Name}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.stowage.driver.ebs {
  requires transitive io.stowage.core;
  requires org.slf4j;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.identity.spi;
  requires software.amazon.awssdk.imds;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.retries;
  requires software.amazon.awssdk.retries.api;
  requires software.amazon.awssdk.services.ec2;
  requires software.amazon.awssdk.utils;

  exports io.stowage.driver.ebs;

  provides io.stowage.spi.StorageDriverProvider with io.stowage.driver.ebs.EbsDriverProvider;
}
