package io.stowage.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a driver setting that holds a secret (a password, a secret key). Its value never
 * appears in {@code stowage config show}, in log lines, in error messages or in
 * {@code toString()}. Settings named like a password, secret or token are masked too, but the
 * declaration is what a driver relies on.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Secret {}
