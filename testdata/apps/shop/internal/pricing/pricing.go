// Package pricing holds the shop's pricing rules.
package pricing

// Discount is the discount on an order of the given total.
func Discount(total int) int {
	if total >= 200 {
		return total / 10
	}
	return 0
}
