package dev.painterly.engine.device;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an op that may run in place: its output may be the same tensor as one of the inputs named
 * here (each element is read before, and only by, the work that writes it). Ops without this mark
 * must get an output distinct from every input. A property checks every mark on every device.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface InPlace {

    /** The parameters the output may be. */
    String[] value();
}
