/**
 * Immutable values of the SDK: volume names and identifiers, sizes, volumes, attachments, instances and the typed volume options. Depends on nothing else of Stowage.
 */
package io.stowage.model;
