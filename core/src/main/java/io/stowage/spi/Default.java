package io.stowage.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default of a driver setting, written as it would be in a configuration file
 * ({@code "30s"}, {@code "SATA"}, {@code "false"}) and converted by the same rules as a
 * configured value. A component of a settings record that is neither {@code Optional} nor a
 * {@code List} and has no default is required: binding fails, naming the key, when the section
 * does not set it.
 *
 * <pre>{@code
 * public record VirtualBoxSettings(
 *     @Default("http://10.0.2.2:18083") URI endpoint,
 *     @Default("SATA") String controllerName,
 *     Path volumePath,                        // required
 *     Optional<String> username,
 *     @Secret Optional<String> password) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
  /**
   * Returns the default as text.
   *
   * @return the default
   */
  String value();
}
