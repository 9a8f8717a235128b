/**
 * Small programs that embed the SDK. Each runs as a test, so they cannot rot.
 */
package io.stowage.examples;
