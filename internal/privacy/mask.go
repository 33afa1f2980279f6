package privacy

import (
	"regexp"
	"strings"
	"unicode"
)

// Masks put in place of personal data in a public-record extract.
const (
	MaskEmail   = "[e-post]"
	MaskPhone   = "[telefon]"
	MaskName    = "[namn]"
	MaskContact = "[maskerat]"
)

// The masking rule of extracts (documented in README, "Public-record extracts"):
//  1. e-mail addresses become [e-post];
//  2. phone numbers, a run of 7 or more digits that may start with + and be
//     broken by spaces, hyphens, slashes or brackets, become [telefon];
//  3. each word of the reporter's contact name (two letters or more) becomes
//     [namn], wherever it stands and however it is capitalised;
//  4. two or more capitalised words in a row ("Anna Svensson", "Karl-Erik
//     Ek") become [namn]. This also masks some place names ("Stora Torget"):
//     the rule errs on the side of the resident, and an official can unmask
//     with a recorded reason.
var (
	emailRe = regexp.MustCompile(`[\p{L}0-9._%+\-]+@[\p{L}0-9.\-]+\.\p{L}{2,}`)
	phoneRe = regexp.MustCompile(`\+?\(?\d[\d\s\-/()]{5,}\d`)
	// A capitalised word: an upper-case letter, then lower-case letters, maybe
	// joined by a hyphen to another such word.
	nameRunRe = regexp.MustCompile(`\p{Lu}\p{Ll}+(?:-\p{Lu}?\p{Ll}+)*(?:\s+\p{Lu}\p{Ll}+(?:-\p{Lu}?\p{Ll}+)*)+`)
)

// MaskText masks personal data in free text; knownNames are the reporter's
// names from the contact data.
func MaskText(text string, knownNames ...string) string {
	text = emailRe.ReplaceAllString(text, MaskEmail)
	text = phoneRe.ReplaceAllStringFunc(text, func(m string) string {
		digits := 0
		for _, r := range m {
			if unicode.IsDigit(r) {
				digits++
			}
		}
		if digits < 7 {
			return m
		}
		return MaskPhone
	})
	for _, full := range knownNames {
		for _, w := range strings.FieldsFunc(full, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
			if len([]rune(w)) < 2 {
				continue
			}
			re := regexp.MustCompile(`(?i)(^|[^\p{L}])` + regexp.QuoteMeta(w) + `($|[^\p{L}])`)
			for re.MatchString(text) {
				text = re.ReplaceAllString(text, "${1}"+MaskName+"${2}")
			}
		}
	}
	return nameRunRe.ReplaceAllString(text, MaskName)
}
