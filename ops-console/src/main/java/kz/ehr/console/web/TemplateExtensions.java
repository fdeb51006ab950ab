package kz.ehr.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.quarkus.qute.TemplateExtension;

/** Helpers the templates call: {@code {purpose.urlEncode}} for a value put into a link's query, {@code {i.purpose.purposeText}}. */
@TemplateExtension
public class TemplateExtensions {
    static String urlEncode(Object value) {
        return value == null ? "" : URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
    }

    /** A purpose as the person typed it: services decode the header; rows written before they did still hold %XX. */
    static String purposeText(Object value) {
        return value == null ? "" : kz.ehr.security.Purpose.decode(value.toString());
    }
}
