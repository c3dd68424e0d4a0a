package jsonfile

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ReplaceString replaces the JSON string that starts at offset in data with
// value, leaving every other byte as it was. offset is found in the Clean
// copy of data, whose offsets are data's.
func ReplaceString(data []byte, offset int, value string) ([]byte, error) {
	if offset < 0 || offset >= len(data) || data[offset] != '"' {
		return nil, fmt.Errorf("no JSON string at offset %d", offset)
	}
	end := offset + 1
	for ; end < len(data); end++ {
		if data[end] == '\\' {
			end++
			continue
		}
		if data[end] == '"' {
			break
		}
	}
	if end >= len(data) {
		return nil, fmt.Errorf("unterminated JSON string at offset %d", offset)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err != nil {
		return nil, err
	}
	quoted := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	out := make([]byte, 0, len(data)-(end+1-offset)+len(quoted))
	out = append(out, data[:offset]...)
	out = append(out, quoted...)
	return append(out, data[end+1:]...), nil
}
