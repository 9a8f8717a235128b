/**
 * The exception hierarchy: one unchecked root, {@link io.stowage.exception.StowageException}, with typed children that callers branch on.
 */
package io.stowage.exception;
