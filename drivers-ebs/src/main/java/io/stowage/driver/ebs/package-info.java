/**
 * The AWS EBS driver ({@link io.stowage.driver.ebs.EbsDriverProvider}, named {@code ebs}, with
 * its settings {@link io.stowage.driver.ebs.EbsSettings}) and its back end: EC2 calls through
 * the AWS SDK for Java v2 with one lightweight HTTP client and client-side (adaptive)
 * throttling, the instance identity from IMDSv2, volume operations in Stowage's model with as
 * few EC2 calls as the API allows (tags set in CreateVolume, region-wide lists in pages of 500,
 * state waits shared by one batching poller), device names from the large range in random
 * order, and a device locator for Xen and Nitro (NVMe) instances that needs no udev.
 *
 * <p>A volume's name is its {@code Name} tag. The optional namespace tag is REX-Ray 0.3's
 * {@code rexraySet=<tag>}: it is set on every volume created and filters every lookup, so
 * volumes REX-Ray 0.3 made with {@code aws.rexrayTag} are found.
 */
package io.stowage.driver.ebs;
