/**
 * A program outside the driver's module, run on the module path by {@code ModulePathTest} to
 * check the driver's module descriptor.
 */
package io.stowage.driver.ebs.modules;
