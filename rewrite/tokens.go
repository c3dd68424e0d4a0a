package rewrite

import (
	"crypto/sha256"
	"encoding/hex"
	"go/scanner"
	"go/token"
)

// TokenHash fingerprints Go source by its tokens alone: comments, blank
// lines, indentation and line breaks never count, nor does a comma or
// semicolon right before a closing bracket (their presence depends on the
// line breaks). Two texts that differ only in formatting or comments
// hash alike; any other change shows.
func TokenHash(src []byte) string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	s.Init(file, src, nil, 0) // no ScanComments: comments are skipped
	h := sha256.New()
	// A comma or semicolon is written only once the next token shows it
	// is not the optional one before a closing bracket.
	var pending string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if pending != "" {
			if tok != token.RPAREN && tok != token.RBRACE && tok != token.RBRACK {
				h.Write([]byte(pending + "\x00"))
			}
			pending = ""
		}
		switch {
		case tok == token.COMMA:
			pending = ","
			continue
		case tok == token.SEMICOLON:
			pending = ";" // explicit or inserted at a line end
			continue
		case lit == "":
			lit = tok.String()
		}
		h.Write([]byte(lit))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:32]
}
