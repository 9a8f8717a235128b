/**
 * What the SDK needs from the host: block devices, file systems and mounts.
 */
package io.stowage.os;
