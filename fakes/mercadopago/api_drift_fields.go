package mercadopago

import "fmt"

// The fields drift adds, level by level, as Mercado Pago's responses to a
// PIX payment carry them: some the official SDK knows (most of them null or
// empty for PIX), some it does not, nested objects among them. Each
// function returns fresh values, so that no two responses share a map.

// paymentExtras are the top-level fields the fake does not write. The ones
// built from body (payment_method, charges_details, charges_execution_info)
// agree with it.
func paymentExtras(body object) object {
	return object{
		"accounts_info":           nil,
		"acquirer_reconciliation": []any{},
		"additional_info": object{
			"authentication_code": nil,
			"available_balance":   nil,
			"nsu_processadora":    nil,
			"tracking_id":         "platform:fake,type:N/A,so;",
		},
		"authorization_code":      nil,
		"brand_id":                nil,
		"build_version":           "3.104.0",
		"call_for_authorize_id":   nil,
		"callback_url":            nil,
		"card":                    object{},
		"charges_details":         []any{feeCharge(body)},
		"charges_execution_info":  object{"internal_execution": object{"date": body["date_created"], "execution_id": fmt.Sprintf("fake-%v", body["id"])}},
		"corporation_id":          nil,
		"counter_currency":        nil,
		"coupon_amount":           0,
		"deduction_schema":        nil,
		"differential_pricing_id": nil,
		"fee_details":             []any{},
		"financing_group":         nil,
		"integrator_id":           nil,
		"issuer_id":               pixIssuerID,
		"marketplace_owner":       nil,
		"merchant_account_id":     nil,
		"merchant_number":         nil,
		"money_release_schema":    nil,
		"money_release_status":    nil,
		"order":                   object{},
		"payment_method": object{
			"id":        body["payment_method_id"],
			"issuer_id": pixIssuerID,
			"type":      body["payment_type_id"],
		},
		"platform_id":          nil,
		"pos_id":               nil,
		"processing_mode":      "aggregator",
		"refunds":              []any{},
		"release_info":         nil,
		"shipping_amount":      0,
		"sponsor_id":           nil,
		"statement_descriptor": nil,
		"store_id":             nil,
		"tags":                 nil,
		"taxes_amount":         0,
		"three_ds_info":        nil,
	}
}

// feeCharge is Mercado Pago's fee as charges_details lists it: the fake
// charges none, so its amount is 0. Its id is a string.
func feeCharge(body object) object {
	return object{
		"id":             fmt.Sprintf("%v-001", body["id"]),
		"name":           "mercadopago_fee",
		"type":           "fee",
		"accounts":       object{"from": "collector", "to": "mp"},
		"amounts":        object{"original": 0, "refunded": 0},
		"client_id":      0,
		"date_created":   body["date_created"],
		"last_updated":   body["date_last_updated"],
		"metadata":       object{"reason": "", "source": "rule-engine"},
		"refund_charges": []any{},
		"reserve_id":     nil,
	}
}

// pointOfInteractionExtras are the fields of point_of_interaction the fake
// does not write.
func pointOfInteractionExtras() object {
	return object{
		"sub_type":         nil,
		"application_data": object{"name": nil, "operating_system": nil, "version": nil},
		"business_info":    object{"branch": nil, "sub_unit": "sdk", "unit": "online_payments"},
		"location":         object{"source": nil, "state_id": nil},
	}
}

// transactionDataExtras are the fields of the PIX transaction_data the fake
// does not write, null until the payer's bank reports the transfer.
func transactionDataExtras() object {
	return object{
		"bank_info": object{
			"collector": object{
				"account_holder_name": "COMANDA FAKE", // the name in the PIX code
				"account_id":          nil,
				"long_name":           nil,
				"transfer_account_id": nil,
			},
			"is_same_bank_account_owner": nil,
			"origin_bank_id":             nil,
			"origin_wallet_id":           nil,
			"payer": object{
				"account_id":          nil,
				"branch":              nil,
				"external_account_id": nil,
				"id":                  nil,
				"identification":      object{},
				"is_end_consumer":     nil,
				"long_name":           nil,
			},
		},
		"bank_transfer_id":          nil,
		"e2e_id":                    nil,
		"financial_institution":     nil,
		"infringement_notification": object{"status": nil, "type": nil},
		"is_end_consumer":           nil,
		"merchant_category_code":    nil,
		"transaction_id":            nil,
	}
}

// transactionDetailsExtras are the fields of transaction_details the fake
// does not write.
func transactionDetailsExtras() object {
	return object{
		"acquirer_reference":          nil,
		"bank_transfer_id":            nil,
		"external_resource_url":       nil,
		"financial_institution":       nil,
		"payable_deferral_period":     nil,
		"payment_method_reference_id": nil,
		"transaction_id":              nil,
	}
}
