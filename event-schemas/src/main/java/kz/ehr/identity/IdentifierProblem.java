package kz.ehr.identity;

/**
 * Why a number is not a valid IIN or BIN.
 *
 * @param code   stable machine code: {@code IIN_FORMAT IIN_CHECKSUM IIN_DATE} or
 *               {@code BIN_FORMAT BIN_CHECKSUM BIN_DATE BIN_TYPE BIN_ATTRIBUTE}
 * @param reason what is wrong, worded to follow the field and its (masked) value, e.g.
 *               {@code fails the IIN check digit (expected 9)}; it never repeats the number itself
 */
public record IdentifierProblem(String code, String reason) {
}
