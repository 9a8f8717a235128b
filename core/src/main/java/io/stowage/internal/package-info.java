/**
 * Implementation details of the core. Nothing outside the core module may use this package.
 */
package io.stowage.internal;
