package durable

import (
	"crypto/sha256"
	"encoding/hex"
	"go/constant"
	"go/format"
	"go/scanner"
	"go/token"
)

// TokenHash fingerprints Go source by its tokens alone: comments, blank
// lines, indentation and line breaks never count, nor does a comma or
// semicolon right before a closing bracket (their presence depends on the
// line breaks). Two texts that differ only in formatting or comments
// hash alike; any other change shows.
func TokenHash(src []byte) string {
	// gofmt also rewrites a few token sequences (the parentheses around a
	// single unnamed result type, say): hash what it prints, when src is
	// source it accepts.
	if formatted, err := format.Source(src); err == nil {
		src = formatted
	}
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, src, nil, 0) // no ScanComments: comments are skipped
	h := sha256.New()
	// A comma or semicolon is written only once the next token shows it
	// is not the optional one before a closing bracket; empty statements
	// (a semicolon after a semicolon, or after an opening brace) go, as
	// gofmt drops them.
	var pending string
	last := token.LBRACE
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if pending != "" {
			if tok != token.RPAREN && tok != token.RBRACE && tok != token.RBRACK && !(pending == ";" && tok == token.SEMICOLON) {
				h.Write([]byte(pending + "\x00"))
				last = token.SEMICOLON
				if pending == "," {
					last = token.COMMA
				}
			}
			pending = ""
		}
		switch {
		case tok == token.COMMA:
			pending = ","
			continue
		case tok == token.SEMICOLON:
			if last != token.SEMICOLON && last != token.LBRACE {
				pending = ";" // explicit or inserted at a line end
			}
			continue
		case tok == token.INT || tok == token.FLOAT || tok == token.IMAG:
			lit = normalNumber(tok, lit)
		case lit == "":
			lit = tok.String()
		}
		last = tok
		h.Write([]byte(lit))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:32]
}

// normalNumber writes a number literal by its value, so that the spellings
// gofmt changes (0X2A to 0x2A, 1E6 to 1e6, leading zeros of imaginary
// literals) hash alike. A literal that does not parse stays as written.
func normalNumber(tok token.Token, lit string) string {
	v := constant.MakeFromLiteral(lit, tok, 0)
	if v.Kind() == constant.Unknown {
		return lit
	}
	return tok.String() + ":" + v.ExactString()
}
