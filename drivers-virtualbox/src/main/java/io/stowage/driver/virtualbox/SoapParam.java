package io.stowage.driver.virtualbox;

import java.util.Objects;

/**
 * One child element of a SOAP request: an operation's parameter, in the order the WSDL gives.
 *
 * @param name the element name, such as {@code _this} or {@code controllerPort}
 * @param value the element's text
 */
record SoapParam(String name, String value) {
  /**
   * Validates the parameter.
   */
  SoapParam {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /**
   * The {@code _this} parameter: the object a method is called on.
   *
   * @param ref the object
   * @return the parameter
   */
  static SoapParam self(ObjectRef ref) {
    return new SoapParam("_this", ref.value());
  }

  /**
   * A parameter that passes an object reference.
   *
   * @param name the parameter name
   * @param ref the object
   * @return the parameter
   */
  static SoapParam ref(String name, ObjectRef ref) {
    return new SoapParam(name, ref.value());
  }

  /**
   * A text parameter.
   *
   * @param name the parameter name
   * @param value the text
   * @return the parameter
   */
  static SoapParam of(String name, String value) {
    return new SoapParam(name, value);
  }

  /**
   * A numeric parameter.
   *
   * @param name the parameter name
   * @param value the number
   * @return the parameter
   */
  static SoapParam of(String name, long value) {
    return new SoapParam(name, Long.toString(value));
  }

  /**
   * A boolean parameter.
   *
   * @param name the parameter name
   * @param value the flag
   * @return the parameter
   */
  static SoapParam of(String name, boolean value) {
    return new SoapParam(name, Boolean.toString(value));
  }

  @Override
  public String toString() {
    // Parameters may be secrets (the logon password): never print values.
    return name;
  }
}
