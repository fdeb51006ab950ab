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

    /** A purpose as the person typed it ({@code Services.headerSafe} sent it percent-encoded when it was not ASCII). */
    static String purposeText(Object value) {
        return value == null ? "" : kz.ehr.console.client.Services.fromHeader(value.toString());
    }
}
