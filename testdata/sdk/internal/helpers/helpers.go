// Package helpers holds utilities shared by the stand-in SDK's packages.
package helpers

import (
	"reflect"
	"runtime"
	"strings"
)

// TaskName returns the durable name of a task given either as a name or as a
// function value. It returns "" when no name can be found.
//
// As in the real SDK, a function value is named by reflection: the runtime
// name of the function ("example.com/app/workflows.ProcessOrder",
// "main.(*Approvals).Approve-fm") is cut after its last '/' and its last '.',
// and the "-fm" suffix the compiler gives method values is removed. The Go
// identifier of the function is therefore the name under which it is called:
// renaming the function renames the durable task.
func TaskName(f any) string {
	if f == nil {
		return ""
	}
	v := reflect.ValueOf(f)
	switch v.Kind() {
	case reflect.String:
		// Plain strings and named string types (type Name string).
		return v.String()
	case reflect.Func:
		if v.IsNil() {
			return ""
		}
		fn := runtime.FuncForPC(v.Pointer())
		if fn == nil {
			return ""
		}
		name := fn.Name()
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		return strings.TrimSuffix(name, "-fm")
	default:
		return ""
	}
}
